# 通知、议程与群发（简体中文）

cmd-notice = 发布通知或议程
cmd-notices = 管理定时和周期通知

notice-ask-kind = 要发什么？
notice-button-message = 📝 写一条通知
notice-button-agenda = 📋 议程（自动汇总）
notice-button-cancel = ✖ 取消
notice-button-skip = 不加附件
notice-button-done = ✔ 选好了
notice-button-agenda-default = 每周一 09:00（推荐）
notice-button-other-schedule = 其他时间
notice-button-now = 现在发送
notice-button-at = 定时发送（选日期和时间）
notice-button-repeat = 周期发送（每天、每周或每月）
notice-button-daily = 每天
notice-button-weekly = 每周（选星期几）
notice-button-monthly = 每月（选几号）
notice-button-confirm = ✅ 确认
notice-button-recheck = 🔄 重新检查
notice-button-html = ✍️ 我自己写 HTML
notice-button-plain = ↩ 改回普通文字
notice-button-pause = ⏸ 暂停
notice-button-resume = ▶️ 恢复
notice-button-edit = ✏️ 修改文字
notice-button-cancel-notice = ❌ 取消通知
notice-button-report = 📊 发送记录
notice-button-cancel-yes = 是，取消它
notice-button-cancel-no = 不，保留

notice-agenda-intro = 议程会在发送时自动汇总：7 天内截止的投票和会议、正在协商的议题、还有名额的志愿活动、等待认领的微心愿。没有内容时不发送。
notice-ask-text = 请发送通知内容（最多 4,096 字）。
    直接写就行：用 Telegram 自带的格式（粗体、斜体、链接）会保留，输入的 < 和 & 等符号会原样显示。
    也可以发一张带文字说明的图片或文件。
notice-ask-html = 请用 HTML 写通知内容（最多 4,096 字）。
    可以用：<b>粗体</b> <i>斜体</i> <u>下划线</u> <a href="https://...">链接</a>
    要显示 < 请写 &lt;，& 请写 &amp;。也可以发一张带文字说明的图片或文件。
notice-ask-text-again = 请发送文字（或带说明的图片、文件）。想退出请发送 /cancel。
notice-ask-media = 要加一张图片或一个文件吗？直接发给我，或点「不加附件」。
notice-ask-media-again = 请发送图片或文件，或点上面的「不加附件」。
notice-ask-target = 发到哪里？
notice-target-all = 所有已绑定的群
notice-target-grid = { $grid } 网格群
notice-target-grid-buildings = { $grid } 所有楼道群
notice-target-buildings = 楼道群：{ $buildings }
notice-target-pick = 选择楼栋…
notice-list-separator = 、
notice-ask-buildings = 请选择 { $grid } 的楼栋（可多选），选好后点「选好了」。
notice-ask-when = 目标：{ $target }
    什么时候发？
notice-ask-at = 什么时候发？（北京时间）
    { $hint }
notice-ask-at-again = 请选一天再选时间，或输入日期和时间，例如：12月8日 9点、12-08 09:00、明天下午3点。
notice-at-chosen = 发送时间：{ $when }
notice-ask-repeat = 多久发一次？
notice-ask-days = 每周哪几天？可以多选，选好后点「选好了」。
notice-ask-month-day = 每月几号？点一个日子；29 到 31 号请直接输入数字（没有这一天的月份不发）。
notice-ask-time = 几点发？点一个时间，或直接输入，例如：9:30、19点、下午3点。
notice-ask-time-again = 请点一个时间，或输入时间，例如：9:30、19点、下午3点。
notice-day-0 = 周一
notice-day-1 = 周二
notice-day-2 = 周三
notice-day-3 = 周四
notice-day-4 = 周五
notice-day-5 = 周六
notice-day-6 = 周日
notice-when-now = 现在发送
notice-when-once = 定时：{ $when }
notice-when-once-plain = 一次
notice-when-daily = 每天 { $time }
notice-when-weekly = 每周 { $days } { $time }
notice-when-monthly = 每月 { $day } 号 { $time }
notice-agenda-empty-now = （现在议程是空的。到发送时间如果仍然没有内容，就不会发送。）
notice-preview-summary = 以上就是群里会看到的样子。
    目标：{ $target }（目前已绑定 { $groups } 个群）
    时间：{ $when }
notice-confirm-question = 确认发布吗？
notice-no-groups-now = ⚠️ 目标范围内还没有绑定的群，现在发不出去。请网格长或楼栋长（须为群管理员）在群里发送 /bind 绑定，然后点「重新检查」。
notice-no-groups-later = ⚠️ 目标范围内还没有绑定的群。请在发送时间之前，由网格长或楼栋长（须为群管理员）在群里发送 /bind 绑定，否则这条通知不会发到任何群。
notice-still-no-groups = 还是没有绑定的群。请先在群里发送 /bind，再点「重新检查」。
notice-sending = 通知 { $id } 正在发送，下面会显示进度。
notice-scheduled = 已安排通知 { $id }：{ $when }。
    下次发送：{ $next }。发送 /notices 可以暂停、修改或取消。
notice-card = { $id } · { $kind } · { $state }
    目标：{ $target }
    时间：{ $when }
    下次：{ $next }
    内容：{ $preview }
notice-kind-message = 通知
notice-kind-agenda = 议程
notice-state-scheduled = 进行中
notice-state-paused = 已暂停
notice-state-done = 已完成
notice-state-cancelled = 已取消
notices-none = 您负责的范围内没有定时或周期通知。发送 /notice 发布一条。
notices-header = 定时和周期通知共 { $count } 条（最近完成的也列在后面）：
notice-cancel-confirm = 确定要取消通知 { $id } 吗？取消后不能恢复。
notice-ask-new-text = 请发送通知 { $id } 的新内容。
notice-edited = 通知 { $id } 的内容已更新。
notice-report-none = 通知 { $id } 还没有发送过。
notice-report-header = 通知 { $id } 的发送记录：
notice-report-run = { $when }：已发送 { $sent } / { $total }，失败 { $failed }，等待中 { $waiting }
notice-report-run-delayed = { $when }（延迟发送）：已发送 { $sent } / { $total }，失败 { $failed }，等待中 { $waiting }
notice-report-missed = { $when }：错过（机器人离线太久，没有发送）
notice-report-empty = { $when }：议程为空，没有发送
notice-report-starting = { $when }：正在准备发送
notice-report-withheld = { $when }：没有发送（发布人已不能再发到这里），通知已暂停

notice-html-bad-tag = 格式有误：不支持 <{ $tag }> 标签。可以用：b、i、u、s、a、code、pre、blockquote、tg-spoiler。没有保存任何内容。
notice-html-link = 格式有误：链接 <a> 需要写网址，例如 <a href="https://example.com">文字</a>。
notice-html-span = 格式有误：<span> 只能写成 <span class="tg-spoiler">。
notice-html-unopened = 格式有误：</{ $tag }> 前面没有对应的 <{ $tag }>。
notice-html-misnested = 格式有误：</{ $tag }> 之前要先关闭 <{ $open }>（标签不能交叉）。
notice-html-entity = 格式有误：{ $entity } 不是可用的转义符。可以用 &lt; &gt; &amp; &quot;。
notice-html-lt = 格式有误：第 { $position } 个字符的 < 不是标签。要显示小于号，请写 &lt;，或点「改回普通文字」。
notice-html-unfinished = 格式有误：标签没有写完：{ $tag }
notice-html-unclosed = 格式有误：<{ $tag }> 没有关闭，请在后面加 </{ $tag }>。
notice-error-too-long = 内容太长：{ $length } 字，最多 { $limit } 字。
notice-error-caption-long = 带图片或文件时，说明最多 { $limit } 字，现在是 { $length } 字。请缩短文字，或不加附件。
notice-error-empty = 通知内容不能是空的。
notice-error-bad-time = 看不懂这个时间：「{ $text }」。请写成 9:30、19点 或 下午3点（00:00 到 23:59）。
notice-error-bad-date = 看不懂这个日期时间：「{ $text }」。请点上面的日子，或写成 12月8日 9点、12-08 09:00、2026-12-08 09:00、明天下午3点。
notice-error-past = 这个时间已经过去了，请选择或输入将来的时间。
notice-error-no-days = 请至少选择一天。
notice-error-bad-day = 「{ $text }」不是可用的日子：请点一个日子，或输入 1 到 31 之间的数字。
notice-error-agenda-target = 议程只能发到一个网格群或一个楼道群。
notice-error-no-buildings = 请至少选择一个楼栋。
notice-error-no-groups = 目标范围内还没有绑定的群，无法现在发送。请先在群里发送 /bind。
notice-error-unknown = 找不到通知 { $id }。
notice-error-not-active = 这条通知已经结束或取消了。
notice-error-not-paused = 这条通知没有暂停。
notice-error-agenda-text = 议程的内容是自动汇总的，不能修改文字。
notice-error-telegram = Telegram 不接受这段内容：{ $error }。请修改后重新发送。
notice-error-draft-gone = 这份通知草稿已经不在了（过期，或已在别处完成或取消），没有保存任何内容。请发送 /notice 重新开始。
notice-error-old-step = 这是前面步骤的按钮，已经失效。请接着用最下面的消息继续，或发送 /notice 重新开始。

notice-delayed-note = ⏰ 本通知原定 { $when } 发送，因故延迟。
notice-missed = 通知 { $id } 原定 { $when } 发送，但机器人离线超过 { $minutes } 分钟，所以这次没有发送。如仍需要，请重新发布。
notice-withheld-author = 您的通知 { $id }（{ $target }）原定 { $when } 发送，但您现在的身份或负责范围已不能再发到这里，所以没有发送，通知已暂停。负责的网格长（或管理员）也收到了提醒。
notice-withheld-steward = 通知 { $id }（{ $target }，发布人：{ $author }）原定 { $when } 发送，但发布人已不能再发到这里（身份或负责范围有变），所以没有发送，通知已暂停。
    发送 /notices 可以恢复（恢复后由您负责这条通知）或取消。

agenda-title = 📋 议程 · { $unit }
agenda-period = { $start } 至 { $end }
agenda-section-notices = 📢 近期通知
agenda-section-votes = 🗳 即将截止的投票和会议
agenda-section-topics = 💬 正在协商的议题
agenda-section-activities = 🙋 还有名额的志愿活动
agenda-section-wishes = 🌟 等待认领的微心愿
agenda-detail-vote-closes = 投票截止
agenda-detail-meeting = 会议地点：{ $place }
agenda-detail-supports = { $count } 人附议
agenda-detail-places = 还剩 { $count } 个名额
agenda-open = 打开：{ $section }

outbox-progress = 正在发送 { $ref }：已发送 { $sent } / { $total } · 失败 { $failed } · 大约还要 { $seconds } 秒
outbox-done = { $ref } 发送完成：已发送 { $sent } / { $total } · 失败 { $failed }
outbox-failures = 没有发出的群：
outbox-failures-more = 还有 { $count } 个没有列出。
outbox-reason-interrupted = 发送时机器人中断，不确定是否收到（为避免重复，没有重发）
outbox-reason-removed = 机器人已被移出或无法在群里发言（已解除绑定）
outbox-reason-server = Telegram 服务器出错，多次重试后放弃
outbox-reason-other = 发送失败：{ $error }
