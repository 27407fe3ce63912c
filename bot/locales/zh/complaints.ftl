# 诉求 / 投诉、待办、统计，以及流程外发来的消息（简体中文）

complaint-category = { $category ->
    [parking] 停车管理
    [sanitation] 环境卫生与垃圾分类
    [repairs] 维修与设施
    [dispute] 邻里纠纷
    [safety] 安全隐患
    [noise] 噪音扰民
   *[other] 其他
}
complaint-status = { $status ->
    [submitted] 已提交
    [accepted] 已受理
    [in_progress] 处理中
    [resolved] 已解决
    [closed] 已办结
    [rejected] 不予受理
   *[merged] 已合并
}

complaint-ask-category = 请选择诉求类别：
complaint-ask-offline-name = 代居民登记诉求。请写下居民的称呼和门牌（例如：王奶奶 3单元201）：
complaint-ask-building = 请选择居民所在的楼栋：
complaint-similar = 您楼里已经有同类诉求正在处理。如果说的是同一件事，点「我也遇到」就能一起跟进；不是的话，请点「提交新的诉求」。
complaint-similar-item = { $code } · { complaint-category } · { $building } · { $date }提交
complaint-ask-text = 请描述问题（1–{ $limit } 字），也可以直接发一条语音，或发一张照片并配上文字。
complaint-ask-photos = 可以发最多 { $limit } 张照片。发完请点「照片发完了」，没有照片就点「不需要照片」。
complaint-photo-added = 已收到第 { $count }/{ $limit } 张照片。还可以继续发，或点「照片发完了」。
complaint-ask-location = 问题在哪里？可以发送位置（📎 → 位置），或用文字写（最多 { $limit } 字，例如：3单元门口），也可以点「跳过」。
complaint-ask-anonymous = 要匿名反映吗？匿名时网格长和楼栋长看不到您是谁，但您仍会收到每一步进展。
complaint-reprompt-text = 请用文字、语音或照片来描述问题。
complaint-reprompt-photo = 请发送照片，或点下面的按钮继续。
complaint-reprompt-location = 请发送位置或一段文字，或点「跳过」。
complaint-reprompt-note = 请发送文字。想退出请点「取消」或发送 /cancel。
complaint-reprompt-reason = 请点一个原因，或写一句话说明。想退出请点「取消」。
complaint-draft-lost = 这一步已经失效（可能机器人重启过，或在别的设备上操作过），没有保存任何内容。请重新开始。

complaint-button-cancel = ✖ 取消
complaint-button-metoo = 🙋 我也遇到：{ $title }
complaint-button-new = ✏️ 提交新的诉求
complaint-button-no-photos = 不需要照片
complaint-button-photos-done = ✅ 照片发完了
complaint-button-no-location = 跳过
complaint-button-anon-no = 不匿名
complaint-button-anon-yes = 🤫 匿名反映
complaint-button-confirm = ✅ 确认提交
complaint-button-edit = ✏️ 重新填写
complaint-button-accept = ✅ 受理
complaint-button-reject = ❌ 不予受理
complaint-button-grant = ✅ 申诉成立，受理
complaint-button-deny = ❌ 维持不予受理
complaint-button-assign = 👷 指派
complaint-button-start = 🔧 开始处理
complaint-button-resolve = ✔️ 已解决
complaint-button-merge = 🔗 合并
complaint-button-merge-confirm = 🔗 确认合并
complaint-button-voice = ▶️ 听语音
complaint-button-photos = 🖼 看照片（{ $count } 张）
complaint-button-map = 📍 看位置
complaint-button-back = ← 返回
complaint-button-open = 查看诉求
complaint-button-reopen = 🔁 问题没解决，重新处理
complaint-button-reopen-confirm = 🔁 确认重新处理
complaint-button-appeal = ⚖️ 申诉
complaint-button-appeal-confirm = ⚖️ 确认申诉
complaint-button-close = 办结
complaint-button-rate = ⭐ 评价
complaint-button-skip = 跳过
complaint-button-remove-handler = 移除：{ $name }

complaint-preview-title = 请确认您的诉求（编号在保存时生成）：
complaint-preview-heading = 📋 诉求 · { complaint-category }
complaint-preview-offline = 代录居民：{ $name }
complaint-preview-no-photos = 照片：无
complaint-preview-anon-yes = 匿名：是（网格长和楼栋长看不到您是谁）
complaint-preview-anon-no = 匿名：否

complaint-created = 已收到！诉求编号 { $code }。
    一般 { $accept_hours } 小时内受理，{ $resolve_days } 天内解决。每一步进展都会通知您，也可以发送 /my 查看。
complaint-metoo-done = 已加入 { $code }，现在有 { $count } 位居民反映这件事。之后的进展会通知您。

complaint-card-title = 📋 诉求 { $code } · { complaint-category }
complaint-card-building = 楼栋：{ $grid } · { $building }
complaint-card-anonymous = 提交人：匿名居民
complaint-card-author = 提交人：{ $name }
complaint-card-offline = 提交人：{ $name }（由 { $chief } 代录）
complaint-card-status = 状态：{ complaint-status }
complaint-card-appeal = ⚖️ 居民对不予受理提出了申诉，等待复核。
complaint-card-due = 时限：{ $due } 前
complaint-card-overdue = ⚠️ 已超时（应于 { $due } 前）
complaint-card-affected = 涉及居民：{ $count } 位
complaint-card-created = 提交时间：{ $at }
complaint-card-text = 内容：{ $text }
complaint-card-voice = 内容：语音留言
complaint-card-photos = 照片：{ $count } 张
complaint-card-location = 位置：{ $location }
complaint-card-pin = 位置：📍 已发送地图定位
complaint-card-handler = 处理单位：{ $name }
complaint-card-assignee = 负责人：{ $name }
complaint-card-merged = 已合并到：{ $target }
complaint-card-reject-reason = 不予受理的原因：{ $reason }
complaint-card-resolution = 处理结果：{ $note }
complaint-card-rating = 评价：{ $stars }
complaint-card-comment = 居民意见：{ $comment }
complaint-pin = 📋 { $code } · { $grid } · { $building }

complaint-timeline-title = 进展：
complaint-timeline-earlier = · ……（更早的 { $count } 条）
complaint-timeline-entry = · { $at } { $action ->
    [submitted] 提交
    [accepted] 受理
    [started] 开始处理
    [assigned] 指派给
    [rejected] 不予受理
    [resolved] 已解决
    [reopened] 居民要求重新处理
    [rated] 居民评价
    [commented] 居民留下意见
    [closed] 办结
    [auto_closed] 未评价，自动办结
    [merged] 合并到
    [merged_in] 合并进来
    [metoo] 又有一位居民反映
    [appealed] 居民申诉
    [appeal_granted] 申诉成立，受理
    [appeal_denied] 维持不予受理
   *[other] 更新
}
complaint-timeline-by = （{ $name }）
complaint-timeline-note = ：{ $note }

complaint-chief-submitted = 🔔 新诉求 { $code }，请及时受理。
complaint-chief-reopened = 🔁 居民对 { $code } 的处理结果不满意，已重新打开。原因：{ $note }
complaint-chief-assigned = 👷 诉求 { $code } 已指派给您处理。
complaint-chief-appealed = ⚖️ 居民对 { $code } 的不予受理提出申诉，请您复核。申诉理由：{ $note }

complaint-ask-reject = 请写明不予受理 { $code } 的原因（最多 { $limit } 字，居民会看到）：
complaint-ask-deny = 请写明维持不予受理 { $code } 的理由（最多 { $limit } 字，居民会看到，之后不能再申诉）：
complaint-ask-resolve = 请简单说明 { $code } 是怎么解决的（最多 { $limit } 字，居民会看到）：
complaint-ask-resolve-photo = 可以发一张处理结果的照片，或点「不需要照片」。
complaint-ask-merge = 要把 { $code } 合并到哪条诉求？请点选（最像的排在前面）：
complaint-ask-merge-long = 要把 { $code } 合并到哪条诉求？共 { $count } 条，下面是最像的 { $shown } 条。找不到的话，发一个词来搜索（编号、楼栋、类别或内容里的词）：
complaint-merge-item = { $code } · { complaint-category } · { $building } · { $date } · { $title }
complaint-merge-none = 您负责的范围内没有其他进行中的诉求，{ $code } 无法合并。
complaint-confirm-merge = 确定把 { $code } 合并到 { $target } 吗？{ $code } 的居民之后会收到 { $target } 的进展，合并后不能撤销。
complaint-ask-assign = 把 { $code } 指派给：
complaint-ask-assign-long = 把 { $code } 指派给谁？共 { $count } 个，下面是前 { $shown } 个。找不到的话，发一个词来搜索（姓名或单位名）：
complaint-search-found = 「{ $word }」找到 { $count } 条，下面最多显示 { $shown } 条：
complaint-search-none = 没有找到含「{ $word }」的，请换一个词，或点「取消」。
complaint-assign-chief = 👤 { $name }
complaint-assign-handler = 🏢 { $name }
complaint-assigned = 已指派给 { $name }（{ $code }）。
complaint-done = { $code } 现在是「{ complaint-status }」。
complaint-merged = 已把 { $code } 合并到 { $target }，两边的居民都会收到 { $target } 的进展。

complaint-update = 📋 您的诉求 { $code } 有新进展：{ complaint-status }
complaint-update-note = 说明：{ $note }
complaint-update-reason = 原因：{ $note }
complaint-update-resolution = 处理结果：{ $note }
complaint-update-assigned = 已交给 { $name } 处理。
complaint-update-merged = 这件事已和 { $target } 合并处理，之后的进展会按 { $target } 通知您。
complaint-update-auto-closed = { $days } 天内没有评价，已自动办结。
complaint-update-appeal-granted = 您的申诉成立，诉求已受理。
complaint-appeal-offer = 如果您不同意，可以在 { $days } 天内点「申诉」，由网格长复核（只能申诉一次）。

complaint-ask-reason-reopen = 为什么要重新处理 { $code }？请点一个原因，或写一句话（最多 { $limit } 字，网格长和楼栋长会看到）：
complaint-ask-reason-appeal = 为什么不同意 { $code } 的不予受理？请点一个原因，或写一句话（最多 { $limit } 字，复核人会看到）：
complaint-reason-reopen = { $code ->
    [not_fixed] 问题还没有解决
    [partly] 只解决了一部分
   *[again] 问题又出现了
}
complaint-reason-appeal = { $code ->
    [exists] 问题确实存在，需要处理
    [in_scope] 这属于社区管理的范围
   *[not_seen] 没有人来现场看过
}
complaint-confirm-reopen = 确定要重新处理 { $code } 吗？
    原因：{ $reason }
complaint-confirm-appeal = 确定要对 { $code } 申诉吗？复核人会重新决定是否受理，只能申诉一次。
    理由：{ $reason }
complaint-reopen-done = 已重新打开 { $code }，网格长和楼栋长会收到您的原因，之后的进展会通知您。
complaint-appeal-done = 已提交申诉，{ $code } 会由复核人重新决定，结果会通知您。

complaint-rate-ask = 请为处理结果打分（1–5 星）：
complaint-rated = 谢谢您的评价 { $stars }！{ $code } 已办结。想补充意见可以直接发文字，或点「跳过」。
complaint-rated-low = 收到您的评价 { $stars }。如果问题没有解决，可以点「重新处理」；也可以写下意见，或点「跳过」。
complaint-rate-thanks = 谢谢！

complaint-remind-accept = ⏰ 诉求 { $code } 已超过受理时限（{ $due }），请尽快处理。
complaint-remind-resolve = ⏰ 诉求 { $code } 已超过解决时限（{ $due }），请尽快处理。
complaint-escalate-accept = ⚠️ 升级提醒：诉求 { $code } 超过受理时限很久了（应于 { $due } 前），请督办。
complaint-escalate-resolve = ⚠️ 升级提醒：诉求 { $code } 超过解决时限很久了（应于 { $due } 前），请督办。

complaint-handlers-none = 本网格还没有处理单位。用「/handlers add 名称」添加，例如：/handlers add 物业公司
complaint-handlers-list = 本网格的处理单位：
    { $names }
    用「/handlers add 名称」添加，点按钮移除。
complaint-handlers-usage = 用法：/handlers 查看；/handlers add 名称 添加。
complaint-handler-added = 已添加处理单位：{ $name }
complaint-handler-removed = 已移除：{ $name }

complaint-error-empty = 内容不能为空，请写 1–{ $limit } 字。
complaint-error-no-words = 请用文字描述问题（1–{ $limit } 字），例如：「3单元门口的路灯坏了」。
complaint-error-note-empty = 请写几句说明（1–{ $limit } 字），不能为空。
complaint-error-note-no-words = 请用文字写明（1–{ $limit } 字），例如：「已联系物业，明天上午维修」。
complaint-error-location-words = 请用文字写位置（1–{ $limit } 字），例如：「3单元门口」。
complaint-error-too-long = 内容太长了：最多 { $limit } 字，您写了 { $length } 字。草稿还在，请缩短后再发送。
complaint-error-photos = 最多只能发 { $limit } 张照片，这张没有收下。请点「照片发完了」继续。
complaint-error-search = 请发一个词来搜索（1–{ $limit } 字）。
complaint-error-not-found = 没有找到诉求 { $code }。
complaint-error-state = 诉求 { $code } 当前是「{ complaint-status }」，不能这样操作。
complaint-error-changed = 诉求 { $code } 刚刚被其他人处理过了，请重新打开查看。
complaint-error-already-following = 您已经在跟进 { $code } 了。
complaint-error-not-yours = 这不是您的诉求。
complaint-error-not-author = 只有提交人可以这样操作。
complaint-error-rated = { $code } 已经评价过了。
complaint-error-reopen-late = 已超过 { $days } 天，不能重新打开。请提交新的诉求。
complaint-error-appeal-late = 已超过 { $days } 天，不能再申诉。请提交新的诉求。
complaint-error-appealed = { $code } 已经申诉过一次，不能再申诉。
complaint-error-appeal-reviewer = { $code } 正在申诉复核中，由网格长（或管理员）决定。
complaint-error-merge-self = 不能把诉求合并到它自己。
complaint-error-bad-ref = 「{ $ref }」不是诉求编号，例如：C12
complaint-error-handler-name = 名称需要 1–{ $limit } 个字。
complaint-error-handlers-grid-chief = 处理单位由网格长管理。

casework-voice-title = 语音
casework-complaint-category = { complaint-category }
casework-wish-category = { wish-category }
casework-my-empty = 您还没有微心愿或诉求。发送 /wish 发布心愿，/complain 反映问题。
casework-my-header = 我的微心愿和诉求（共 { $count } 项），点击查看：
casework-my-complaint = { $code } · { $title } · { complaint-status }
casework-my-wish = { $code } · { $title } · { wish-status }
casework-queue-empty = 您负责的范围内没有待办的诉求和微心愿。
casework-queue-header = 待办（共 { $count } 项，超时的在前），点击处理：
casework-queue-complaint = { $overdue ->
    [yes] ⚠️
   *[no] 📋
} { $code } · { complaint-category } · { $building } · { complaint-status }
casework-queue-wish = 🌱 { $code } · { wish-category } · { $building } · { wish-status }
casework-stats = 📊 { $period } 统计（您负责的范围）
    收到诉求：{ $received } 件
    按时受理：{ $in_time }
    受理用时中位数：{ $accept_hours } 小时
    解决用时中位数：{ $resolve_hours } 小时
    已解决：{ $resolved }
    平均评分：{ $rating }（{ $ratings } 个评价）
    微心愿：发布 { $wishes_posted } 个，实现 { $wishes_fulfilled } 个
casework-stats-usage = 用法：/stats 或 /stats 2026-11（年-月，年份 2000–2100，月份 1–12）
casework-offline-name-length = 称呼和门牌请写 1–{ $limit } 个字。
casework-offline-name-words = 请用文字写居民的称呼和门牌，例如：「王奶奶 3单元201」。

fallback-ask = 收到。这是要做什么？请点一个按钮，内容不用再发一遍：
fallback-button = { $kind ->
    [complaint] 📋 反映问题（诉求）
    [wish] 🌱 发布微心愿
    [comment] 💬 评论正在讨论的议题
   *[none] ✖ 都不是，不用管
}
fallback-which-topic = 评论哪个议题？
fallback-dropped = 好的，没有保存任何内容。需要时可以发送 /help 查看能做的事。
fallback-lost = 这条消息已经不在了（可能机器人重启过），没有保存任何内容。请重新发送。
fallback-no-topics = 现在没有正在讨论的议题。

cmd-complain = 反映诉求
cmd-my = 我的心愿和诉求
cmd-queue = 待办诉求和心愿
cmd-complain-for = 代居民登记诉求
cmd-stats = 诉求和心愿统计
cmd-handlers = 管理处理单位
