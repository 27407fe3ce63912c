# 议事协商（四步走）：议题库、筛选、协商、投票与成果落实（简体中文）

cmd-propose = 提出议题
cmd-topics = 议题列表与进展
cmd-comment = 对议题发表意见
cmd-pool = 议题库筛选（网格长、楼栋长）
cmd-vote-new = 发起投票（网格长、楼栋长）

topic-state-proposed = 待筛选
topic-state-shortlisted = 已入选
topic-state-declined = 未采纳
topic-state-discussing = 协商中
topic-state-voting = 投票中
topic-state-counted = 投票已结束，待记录决定
topic-state-decided = 已决定
topic-state-implementing = 落实中
topic-state-done = 已办结

topic-scope-building = 楼栋：{ $unit }
topic-scope-grid = 网格：{ $unit }
topic-scope-community = 社区：{ $unit }
topic-pick-building = 🏠 我的楼栋
topic-pick-grid = 🏘 我的网格
topic-pick-community = 🏙 整个社区

topic-button-cancel = ✖ 取消
topic-button-confirm = ✅ 确认
topic-button-support = 👍 附议 +1
topic-button-comment = 💬 发表意见
topic-button-rate = ⭐ 评价成果
topic-button-shortlist = ✅ 入选
topic-button-decline = ❌ 不采纳
topic-button-discuss = 💬 开始协商
topic-button-vote = 🗳 发起投票
topic-button-decide = 📝 记录决定
topic-button-progress = 🔧 发布进展
topic-button-done = 🏁 办结
topic-button-prev = ← 上一页
topic-button-next = 下一页 →
topic-button-no-meeting = 不开协商会

topic-ask-title = 第一步：请用一句话写下议题的标题（最多 { $limit } 字）。
topic-ask-description = 第二步：请说明具体情况和您的建议（最多 { $limit } 字），也可以发语音。
topic-ask-scope = 第三步：这个议题涉及哪里？
topic-preview = 请确认您的议题：
    标题：{ $title }
    说明：{ $description }
    范围：{ $scope }
topic-expected-text = 请发送文字（或语音）。想退出请点「取消」或发送 /cancel。
topic-expected-button = 请点上面消息里的按钮。想退出请发送 /cancel。
topic-cancelled = 已取消，没有保存任何内容。
topic-draft-lost = 这一步已经失效了（可能在别的设备上操作过，或者机器人重启过），没有保存任何内容。请重新开始。
topic-proposed = { $groups ->
    [0] 议题 { $ref } 已提交。您的范围内还没有绑定的群，所以没有发到群里；邻居们可以在 /topics 里看到并附议。
   *[other] 议题 { $ref } 已提交，已发到 { $groups } 个群，邻居们可以附议。网格长、楼栋长会在议题库中筛选。
}
topic-voice-description = （语音说明）
topic-voice-comment = （语音意见）
topic-no-name = 一位邻居
topic-place-unknown = 待定

topic-post = 📌 议题 { $ref }：{ $title }
    { $description }
    { $scope } · 状态：{ $state }
    附议：{ $support } 人
topic-supported = 已附议！目前共 { $count } 人附议。
topic-error-already-supported = 您已经附议过这个议题了。
topic-error-support-closed = 这个议题已经不再收集附议了。
topic-error-register-first = 请先私聊我发送 /start 完成认证。
topic-error-not-in-scope = 议题 { $ref } 不在您所在的范围内，不能参与。
topic-error-no-scope = 您还没有登记楼栋，不能提出议题。
topic-error-not-found = 没有找到议题 { $ref }。
topic-error-bad-ref = 「{ $ref }」不是议题编号，请写成 T5 或 5。
topic-error-empty = 内容不能为空，请重新发送。
topic-error-too-long = 内容太长了：{ $length } 字，最多 { $limit } 字。请改短后重新发送。
topic-error-wrong-state = 这个议题现在的状态不能这样操作。
topic-error-bad-date = 看不懂这个时间。请点按钮选择，或写成这样：12月8日 9点、12-08 09:00、明天下午3点。
topic-error-past-date = 这个时间已经过去了，请选择以后的时间。
topic-error-too-far = 这个时间太远了：最多只能选 { $days } 天以内的时间。
topic-error-not-discussing = 议题 { $ref } 目前不在协商阶段。
topic-error-not-done = 议题 { $ref } 还没有办结，暂时不能评价。
topic-error-already-rated = 您已经评价过了，谢谢！
topic-error-vote-open = 投票还没有结束，结束后才能记录决定。

topic-list-empty = 您的范围内还没有议题。发送 /propose 提出第一个议题。
topic-list-group-empty = 本群相关的范围内还没有议题。
topic-list-header = 议题共 { $count } 个（第 { $page }/{ $pages } 页），点一下查看详情和全过程：
topic-list-group = 本群相关的议题：
topic-list-line = { $ref } { $title } · { $state } · 附议 { $support } 人

topic-card-score = 评分：重要性 { $importance } · 紧急性 { $urgency } · 可行性 { $feasibility } · 合计 { $total }
topic-card-discussion = 协商截止：{ $ends }
topic-card-comments = 意见 { $count } 条（署名公开）：
topic-card-decision = 决定：{ $decision }
topic-card-counted = 投票已结束，结果已公布，等待网格长、楼栋长记录决定。
topic-card-rating = 成果评价：{ $count } 人评价，平均 { $average } 星
topic-card-history = 全过程：
topic-history-line = { $time } { $state }：{ $note }
topic-comment-resident = • { $name }：{ $text }
topic-comment-property = • 【物业意见】{ $name }：{ $text }
topic-comment-committee = • 【业委会意见】{ $name }：{ $text }

topic-pool-empty = 议题库里暂时没有待筛选的议题。
topic-pool-header = 议题库共 { $count } 个议题，按评分合计、再按附议人数排序：
topic-pool-rank = { $n }. { $ref } { $title } · 评分 { $total } · 附议 { $support } 人
topic-pool-card = { $ref } { $title }
    { $description }
    状态：{ $state } · 附议 { $support } 人 · 评分合计 { $total }
    请为重要性、紧急性、可行性各打 1–5 分：
topic-criterion-i = 重要性
topic-criterion-u = 紧急性
topic-criterion-f = 可行性
topic-scored = 已评分，合计 { $total } 分。
topic-done-shortlisted = 议题 { $ref } 已入选，已通知提议人。下一步可以开始协商。
topic-told-shortlisted = 您提出的议题 { $ref }「{ $title }」已入选议题库，接下来会组织协商。
topic-told-declined = 您提出的议题 { $ref }「{ $title }」这次没有被采纳。原因：{ $reason }
topic-told-discussing = 您提出的议题 { $ref }「{ $title }」已进入协商阶段，欢迎邻居们发表意见。

topic-ask-decline = 请写下不采纳议题 { $ref }「{ $title }」的原因（会告诉提议人）：
topic-ask-decide = 请写下议题 { $ref }「{ $title }」的决定：
topic-ask-progress = 请写下议题 { $ref }「{ $title }」的落实进展：
topic-ask-done = 请简单总结议题 { $ref }「{ $title }」的办结情况：
topic-preview-decline = 确认不采纳 { $ref }？原因：{ $text }
topic-preview-decide = 确认记录 { $ref } 的决定？
    { $text }
    （会发到群里，并通知提议人、附议和发表意见的居民）
topic-preview-progress = 确认发布 { $ref } 的进展？
    { $text }
    （会发到群里，并通知提议人、附议和发表意见的居民）
topic-preview-done = 确认 { $ref } 已办结？
    { $text }
    （办结后居民可以评价成果）
topic-done-decline = 议题 { $ref } 已标记为不采纳，已通知提议人。
topic-done-decide = 议题 { $ref } 的决定已记录并发布。
topic-done-progress = 议题 { $ref } 的进展已发布。
topic-done-done = 议题 { $ref } 已办结，居民可以评价成果了。
topic-done-discuss = { $groups ->
    [0] 议题 { $ref } 已进入协商。您的范围内还没有绑定的群，居民可以发送 /comment 发表意见。
   *[other] 议题 { $ref } 已进入协商，已发到 { $groups } 个群。
}

topic-days = { $days } 天
topic-ask-discussion-end = 议题 { $ref } 的协商到什么时候截止？可以点「7 天」这样的按钮。
topic-ask-meeting = 协商截止：{ $ends }。要不要开协商会？选开会的时间，或点「不开协商会」。
topic-ask-place = 协商会在哪里开？请写下地点（最多 { $limit } 字），例如：社区活动室。
topic-preview-discuss = 确认开始协商 { $ref }？
    协商截止：{ $ends }
    { $meeting }
topic-discussion-post = 💬 议题 { $ref } 进入协商：{ $title }
    { $description }
    { $scope }
    协商截止：{ $ends }
    { $meeting }
topic-discussion-invite = 请点下面的按钮，私聊我发表意见（意见会署名公开）。物业、业委会的意见也会一并公布。
topic-discussion-over = （协商已结束，不再收集意见。）
topic-meeting-line = 协商会：{ $time }，地点：{ $place }
topic-meeting-none = 本次不开协商会，请在线发表意见。
topic-meeting-reminder = ⏰ 协商会将于{ $time } 开始（还有 { $left }）：议题 { $ref }「{ $title }」
    地点：{ $place }
topic-when-today = 今天 { $time }
topic-when-tomorrow = 明天 { $time }
topic-when-date = { $time }
topic-left-minutes = { $minutes } 分钟
topic-left-hours = { $minutes ->
    [0] { $hours } 小时
   *[other] { $hours } 小时 { $minutes } 分钟
}
topic-left-days = { $days } 天

topic-comment-none = 您的范围内目前没有协商中的议题。
topic-comment-which = 请选择要发表意见的议题：
topic-ask-label = 您以什么身份对 { $ref }「{ $title }」发表意见？
topic-label-resident = 我自己的意见
topic-label-property = 物业公司的意见
topic-label-committee = 业委会的意见
topic-ask-comment = 请写下您对 { $ref }「{ $title }」的意见（最多 { $limit } 字），也可以发语音。
    意见会署上您的名字「{ $name }」公开显示。每人一条，再发会覆盖上一条。
topic-comment-preview = 您对 { $ref } 的意见：
    { $text }
    { $label ->
        [property] 会作为「物业意见」，署上您的名字「{ $name }」公开显示在议题卡片上。
        [committee] 会作为「业委会意见」，署上您的名字「{ $name }」公开显示在议题卡片上。
       *[other] 会署上您的名字「{ $name }」公开显示在议题卡片上。
    }确认发表吗？
topic-commented = 谢谢！您对 { $ref } 的意见已发表。
topic-comment-updated = 您对 { $ref } 的意见已更新。

topic-announce-decided = 📝 议题 { $ref }「{ $title }」已作出决定：
    { $text }
topic-announce-progress = 🔧 议题 { $ref }「{ $title }」落实进展：
    { $text }
topic-announce-done = 🏁 议题 { $ref }「{ $title }」已办结：
    { $text }
    欢迎为成果打分（1–5 星）。
topic-ask-rating = 请为这个议题的落实成果打分：
topic-rated = 谢谢评价！您打了 { $stars } 星。

vote-option = { $n }. { $label }
vote-option-count = { $n }. { $label } — { $count } 票
vote-quoted = 「{ $label }」
vote-list-separator = 、
vote-rule-single = 单选
vote-rule-multiple = 多选（最多 { $max } 项）
vote-rule-change = 截止前可以改票
vote-rule-final = 投出后不能修改
vote-rule-live = 实时公布票数
vote-rule-hidden = 截止后公布票数
vote-post = 🗳 投票 · 议题 { $ref }「{ $title }」
    { $question }
    { $options }
    已投票：{ $turnout } 人（可投票居民 { $eligible } 人）
    截止：{ $deadline } · 法定人数 { $quorum }%（需 { $needed } 人）
    { $rules } · 无记名投票，只公布总数
vote-post-closed = 🗳 投票已结束 · 议题 { $ref }「{ $title }」
    { $question }
    { $options }
    投票人数：{ $turnout } 人（可投票居民 { $eligible } 人）
    截止：{ $deadline } · 法定人数 { $quorum }%（需 { $needed } 人）
vote-button-ballot = 🗳 去投票（私聊多选）
vote-button-submit = ✅ 提交选票
vote-button-close = ⏹ 提前结束投票
vote-button-close-confirm = ⏹ 确认提前结束
vote-ballot = 议题 { $ref }：{ $question }
    最多选 { $max } 项，选好后点「提交选票」。无记名投票，别人看不到您选了什么。
vote-ballot-sent = 选票已私聊发给您，请在私聊中投票。
vote-cast-new = ✅ 投票成功！无记名，只统计总数。
vote-cast-changed = ✅ 已改票。
vote-cast-same = 您已经投了这个选项。

vote-error-not-eligible = 只有本范围内的认证居民可以参加这次投票，您的选择没有记录。
vote-error-closed = 投票已经结束，不能再投了。
vote-error-not-found = 没有找到这次投票。
vote-error-bad-option = 没有这个选项，您的选择没有记录。
vote-error-already-voted = 您已经投过票了，这次投票不能改票。
vote-error-cannot-change = 暂时无法修改选票，您原来的选票仍然有效。
vote-error-choose-one = 请至少选择一项。
vote-error-too-many = 最多只能选 { $max } 项。
vote-error-open-private = 请先点我的头像，私聊发送 /start，再回来投票。
vote-error-topic-state = 议题 { $ref } 目前不在协商阶段，不能发起投票。
vote-error-empty-question = 问题不能为空，请重新输入（最多 { $limit } 字）。
vote-error-option-count = 需要 2 到 10 个选项，您写了 { $count } 个。请每行写一个选项，或者用顿号、逗号隔开，重新发送。
vote-error-option-long = 每个选项最多 { $limit } 字，「{ $option }…」有 { $length } 字。请改短后重新发送。
vote-error-option-duplicate = 选项不能重复，请重新发送。
vote-error-bad-quorum = 法定人数请输入 0 到 100 之间的整数（百分比），例如 30。

vote-new-none = 您负责的范围内没有协商中的议题。议题进入协商后才能发起投票（在 /pool 里入选并开始协商）。
vote-new-which = 要为哪个议题发起投票？
vote-ask-question = 为议题 { $ref }「{ $title }」发起投票。
    第一步：请输入投票的问题。
vote-ask-options = 第二步：请输入选项（{ $min } 到 { $max } 个），每行一个，或者用顿号、逗号隔开。例如：
    同意、不同意、弃权
vote-ask-kind = 第三步：单选还是多选？
vote-kind-single = 单选
vote-kind-multiple = 多选
vote-ask-max = 最多可以选几项？
vote-ask-deadline = 第四步：投票什么时候截止？可以点「1 天」这样的按钮。
vote-ask-quorum = 第五步：法定人数（本范围认证居民的百分比）？点按钮，或输入 0 到 100 之间的整数。
vote-ask-change = 第六步：截止前允许改票吗？
vote-change-yes = 允许改票
vote-change-no = 不允许改票
vote-ask-live = 最后：投票期间公布实时票数吗？（不公布可以避免影响后面的人；投票人数总是公布。）
vote-live-hidden = 截止后公布
vote-live-shown = 实时公布
vote-preview = 请确认投票（议题 { $ref }）：
    { $question }
    { $options }
    { $kind } · 截止 { $deadline } · 法定人数 { $quorum }%
    { $change } · { $live }
vote-created = { $groups ->
    [0] 投票已发起。议题 { $ref } 的范围内还没有绑定的群，居民可以在议题卡片（/topics）上投票。截止后会自动统计并公布结果。
   *[other] 投票已发起，已发到议题 { $ref } 范围内的 { $groups } 个群。截止后会自动统计并公布结果。
}
vote-close-confirm = 确定要提前结束投票「{ $question }」吗？结束后马上统计并公布结果，不能撤回。
vote-closed-early = 投票已结束，结果正在公布。

vote-chart-title = 投票结果 · 议题 { $ref }
vote-result = 📊 投票结果 · 议题 { $ref }「{ $title }」
    { $question }
    { $options }
    投票人数：{ $turnout } / { $eligible }（{ $percent }%）
    { $quorum }
    { $outcome }
vote-result-winner = 结果：「{ $label }」得票最多。
vote-result-tie = 结果：{ $labels } 得票相同。
vote-result-no-votes = 结果：没有人投票。
vote-quorum-met = 达到法定人数（{ $quorum }%，需 { $needed } 人）。
vote-quorum-missed = 未达到法定人数（{ $quorum }%，需 { $needed } 人），结果仅供参考。
vote-reminder = ⏰ 提醒：议题 { $ref }「{ $title }」的投票将于{ $deadline } 截止（还有 { $left }），您还没有投票。
    { $question }
