# 共驻共建：驻区单位、三张清单、双报告、移动网格员（简体中文）

cmd-partners = 共驻共建：驻区单位、需求与项目
home-needs = 🧾 需求清单
home-projects = 🧩 项目清单
home-partners = 🤝 共驻共建
cmd-snap = 随手拍：上报安全隐患

## 通用

partner-button-cancel = ✖ 取消
partner-button-skip = 跳过
partner-button-confirm = ✅ 确认
partner-button-menu = ↩️ 共驻共建菜单
partner-button-back = ↩️ 返回
partner-button-keep = 不用了
partner-saved = 已保存。
partner-error-text-length = 请输入 1–{ $limit } 个字。
partner-error-draft-lost = 这份草稿已经失效（可能机器人重启过），没有保存任何内容。请从菜单重新开始。
partner-error-not-member = 这个功能只对驻区单位成员开放。
partner-error-not-your-unit = 这不是您所在的单位，无法查看。
partner-error-not-manager = 只有单位联系人或社区管理员可以这样做。
partner-error-self = 不能对自己进行这项操作。
partner-error-handled = 这件事已经处理过了。

## 菜单

partner-menu-title = 🤝 共驻共建
partner-menu-contact = 您是「{ $unit }」的联系人。
partner-menu-member = 您已作为「{ $unit }」的成员到社区报到。
partner-menu-pending = 您加入「{ $unit }」的申请正在等待单位联系人审核。
partner-menu-mobile = 您是本社区的移动网格员，看到安全隐患可以随手拍上报。
partner-menu-nothing = 这里暂时没有您可以使用的功能。
partner-section-unit = 🏢 我的单位
partner-section-tasks = 🙋 可以报名的任务
partner-section-hours = ⏱ 我的时长与积分
partner-section-adopt = 🌱 认领微心愿
partner-section-snap = 📷 随手拍
partner-section-needs = 📋 需求清单
partner-section-projects = 🧩 项目清单
partner-section-units = 🏢 驻区单位
partner-section-mobile = 🛵 移动网格员

## 驻区单位

partner-unit-kind = { $kind ->
    [government] 机关
    [school] 学校
    [hospital] 医院
    [company] 企业
    [property] 物业公司
    [social] 社会组织
   *[other] 其他
}
partner-unit-state-name = { $state ->
    [invited] 等待联系人接受邀请
    [active] 共建中
   *[left] 已退出
}
partner-units-title = 🏢 本社区的驻区单位：
partner-units-none = 还没有登记驻区单位。
partner-unit-line = { $code } { $name } · { partner-unit-state-name }
partner-button-new-unit = ➕ 登记驻区单位
partner-unit-ask-name = 请输入单位名称（1–{ $limit } 个字）：
partner-unit-ask-kind = 请选择单位类型：
partner-unit-ask-address = 请输入单位地址（1–{ $limit } 个字），或点击「跳过」。
partner-unit-ask-contact = 请输入单位联系人的姓名（1–{ $limit } 个字）。登记后您会得到一个邀请链接，请发给这位联系人。
partner-unit-preview = 请确认：
    单位：{ $name }（{ partner-unit-kind }）
    地址：{ $address }
    联系人：{ $contact }
partner-unit-registered = 已登记 { $code } { $name }。
    请把下面的链接发给联系人 { $contact }，打开后即成为本单位在社区的联系人。链接只能使用一次，{ $until } 前有效：
    { $link }
partner-error-unit-exists = 已经有名为「{ $name }」的单位了，没有重复登记。
partner-error-unit-not-found = 找不到单位 { $code }。
partner-error-unit-left = 「{ $unit }」已经退出共驻共建。
partner-unit-title = 🏢 { $code } { $name }（{ partner-unit-kind }）
partner-unit-address = 地址：{ $address }
partner-unit-contact = 联系人：{ $name }
partner-unit-contact-invited = 联系人：{ $name }（尚未接受邀请）
partner-unit-state = 状态：{ partner-unit-state-name }
partner-unit-members = 成员：{ $count } 人（待审核 { $pending } 人）
partner-unit-resources = 提供的资源：{ $count } 项
partner-unit-you-pending = 您的加入申请正在等待联系人审核。
partner-unit-action-members = 👥 成员
partner-unit-action-link = 🔗 成员报到链接
partner-unit-action-resources = 🎁 资源清单
partner-unit-action-invite = ✉️ 重新邀请联系人
partner-unit-action-leave = 🚪 退出本单位
partner-unit-action-end = ⛔ 结束共建
partner-unit-contact-link = 「{ $name }」联系人的新邀请链接（之前未使用的链接已作废），只能使用一次，{ $until } 前有效：
    { $link }
partner-unit-members-link = 「{ $name }」的成员报到链接，请转发给单位同事（之前的链接已作废），{ $until } 前有效。每个人打开后都需要您审核：
    { $link }

## 邀请与报到

partner-error-invite-invalid = 这个邀请链接已经失效（用过、过期或已被替换）。请向发给您链接的人要一个新的。
partner-error-pending-application = 您申请入住楼栋的审核还没完成。审核通过后，请再打开这个链接。
partner-error-already = 您已经登记过了，不需要重复报到。
partner-error-other-unit = 您已经是「{ $unit }」的成员。一个人只能在一个单位报到，请先退出原单位。
partner-contact-welcome = 欢迎！您现在是「{ $unit }」在社区的联系人，可以管理本单位的成员和资源清单。
partner-mobile-welcome = 欢迎加入移动网格员！看到安全隐患时，点「📷 随手拍」就能上报，确认属实后会获得志愿积分。
partner-join-sent = 您加入「{ $unit }」的申请已经发给单位联系人，审核通过后会通知您。
partner-party-ask = 您是在职党员吗？这一项只有社区管理员看得到，也可以以后在「我的单位」里更改。
partner-button-party-yes = 是，在职党员
partner-button-party-no = 不是
partner-party-yes = 已登记：在职党员（只有社区管理员看得到）。
partner-party-no = 已登记：不是在职党员。
partner-join-request = 📝 { $name }（{ $username }）申请作为「{ $unit }」的成员到社区报到。
partner-button-approve = ✅ 同意
partner-button-reject = ✖ 不同意
partner-join-approved = 🎉 「{ $unit }」的联系人同意了您的报到申请。现在可以报名项目任务、认领微心愿了。
partner-join-rejected = 「{ $unit }」的联系人没有同意您的报到申请。如有疑问请直接联系对方。
partner-review-approved = ✅ 已同意 { $name } 加入「{ $unit }」。
partner-review-rejected = 已拒绝 { $name } 加入「{ $unit }」的申请。

## 成员

partner-members-title = 👥 「{ $unit }」的成员（{ $count } 人）：
partner-members-party-note = ☭ 标记的是在职党员（只有社区管理员看得到）。
partner-member-pending-label = ⏳ { $name }
partner-member-party-label = ☭ { $name }
partner-member-state-name = { $state ->
    [pending] 待审核
    [active] 在册
    [left] 已退出
   *[rejected] 未通过
}
partner-member-card = 👤 { $name }（{ $username }）
    状态：{ partner-member-state-name }
    报到日期：{ $since }
partner-member-party = 在职党员：{ $value ->
    [yes] 是
   *[no] 否
}
partner-button-remove = 🚪 移出本单位
partner-button-remove-yes = 确认移出
partner-remove-ask = 确定把 { $name } 移出本单位吗？他已报名的项目任务会取消，代表单位认领的心愿会退回心愿池。
partner-removed = 已把 { $name } 移出「{ $unit }」。
partner-removed-you = 「{ $unit }」的联系人把您移出了本单位。您以前的服务时长仍然记在账上。
partner-error-contact-leaves = 您是本单位的联系人，不能直接退出。请先请社区管理员邀请新的联系人，或者结束共建。
partner-leave-ask = 确定退出「{ $unit }」吗？您已报名的项目任务会取消，代表单位认领的心愿会退回心愿池。以前的服务时长仍然保留。
partner-button-leave-yes = 确认退出
partner-left = 您已退出「{ $unit }」。感谢您为社区做的一切！
partner-end-ask = 确定结束「{ $unit }」的共驻共建吗？全部 { $count } 名成员都会退出，资源清单会下架，邀请链接全部作废。这一步不能撤销。
partner-button-end-yes = 确认结束共建
partner-ended = 「{ $unit }」已结束共驻共建。历史记录和报告都会保留。
partner-ended-you = 「{ $unit }」已结束与社区的共驻共建，您的成员身份随之结束。感谢您的付出！

## 资源清单

cmd-needs = 需求清单
resource-kind = { $kind ->
    [venue] 场地
    [service] 专业服务
    [goods] 物资
    [money] 资金
   *[volunteers] 志愿者
}
resource-title = 🎁 「{ $unit }」的资源清单：
resource-none = 还没有登记资源。
resource-line = • { $code } · { resource-kind }：{ $title }
resource-quantity = { $kind ->
    [money] （{ $count } 元）
    [volunteers] （{ $count } 人）
    [venue] （可容纳 { $count } 人）
   *[other] （{ $count } 份）
}
resource-button-add = ➕ 登记资源
resource-button-withdraw = 下架 { $code }
resource-withdrawn = { $code } 已下架。
resource-ask-kind = 要登记哪一类资源？
resource-ask-title = 请用一句话说明这项{ resource-kind }（1–{ $limit } 个字），例如「三楼会议室」「义诊」「法律咨询」。
resource-ask-details = 可提供的时间和限制条件（1–{ $limit } 个字），例如「周六 9–12 点，需提前 3 天预约」。也可以点击「跳过」。
resource-ask-quantity = { $kind ->
    [money] 金额是多少元？请输入 1–{ $limit } 的整数，或点击「跳过」。
    [volunteers] 能出多少名志愿者？请输入 1–{ $limit } 的整数，或点击「跳过」。
    [venue] 能容纳多少人？请输入 1–{ $limit } 的整数，或点击「跳过」。
   *[other] 数量是多少？请输入 1–{ $limit } 的整数，或点击「跳过」。
}
resource-error-quantity = 请输入 1–{ $limit } 的整数（只用阿拉伯数字）。
resource-preview = 请确认：
    类别：{ resource-kind }
    内容：{ $title }
    时间和限制：{ $details }
    数量：{ $quantity }
resource-added = 已登记资源 { $code }：{ $title }。社区做项目时可以对接它。

## 需求清单

need-category = { $category ->
    [elderly] 助老
    [children] 关爱儿童
    [health] 医疗健康
    [repairs] 维修改造
    [environment] 环境整治
    [culture] 文体活动
    [safety] 平安建设
    [legal] 法律服务
   *[other] 其他
}
need-urgency = { $urgency ->
    [high] 🔴 紧急
    [normal] 🟡 一般
   *[low] 🟢 不急
}
need-state-name = { $state ->
    [open] 待对接
    [matched] 已对接项目
    [in_progress] 项目实施中
    [met] 已满足
   *[declined] 已谢绝
}
need-scope-name = { $scope ->
    [building] 楼栋
    [grid] 网格
   *[community] 全社区
}
need-list-title = 📋 需求清单（点开查看详情）：
need-list-none = 📋 需求清单里暂时没有待满足的需求。
need-line = { $code } · { need-urgency } · { $title }
need-button-add = ➕ 新增需求
need-button-support = 👍 附议
need-button-decline = 谢绝这项需求
need-card-title = 📋 { $code } · { need-category }
need-card-scope = 范围：{ need-scope-name } { $place }
need-card-urgency = 紧急程度：{ need-urgency }
need-card-state = 状态：{ need-state-name }
need-card-beneficiaries = 受益对象：{ $who }
need-card-source = 来源：{ $kind ->
    [wish] 微心愿
    [complaint] 诉求
   *[topic] 议题
} { $code }
need-card-support = 附议：{ $count } 人
need-card-projects = 对接项目：{ $codes }
need-card-reason = 谢绝理由：{ $reason }
need-card-supported = 您已附议。
need-supported = 已附议 { $code }，目前共 { $count } 人附议。
need-ask-reason = 请写下谢绝 { $code } 的理由（1–{ $limit } 个字），居民会看到：
need-declined = 已谢绝 { $code }。
need-error-not-found = 找不到需求 { $code }。
need-error-not-visible = 这项需求不对您公开。
need-error-supported = 您已经附议过 { $code } 了。
need-error-not-in-scope = 只有需求范围内的居民可以附议。
need-error-state = { $code } 现在是「{ need-state-name }」，不能这样操作。
need-error-changed = { $code } 刚刚被别人改动了，请重新打开查看。
need-error-source-taken = { $code } 已经有对应的需求了，没有重复添加。
need-error-ref = 请点击上面的按钮，或输入编号，例如 { $letter }12。
need-ask-source = 新增需求：要从哪里来？
need-source-W = 🌱 来自微心愿
need-source-C = 📣 来自诉求
need-source-T = 🗣 来自议题
need-source-- = ✏️ 直接填写
need-ask-pick = 请选择一项（也可以直接输入编号，例如 { $letter }12）：
need-ask-pick-none = 您负责的范围里最近没有可选的项目，可以直接输入编号，例如 { $letter }12。
need-ask-title = 请写下需求的标题（1–{ $limit } 个字），居民和驻区单位都会看到。
need-suggestion = 也可以直接使用：「{ $text }」
need-button-use-suggestion = 使用这个标题
need-ask-category = 需求属于哪一类？
need-ask-place = 需求的范围是？
need-place = { need-scope-name } { $place }
need-ask-beneficiaries = 受益对象是谁（1–{ $limit } 个字），例如「独居老人 12 人」？也可以点击「跳过」。
need-ask-urgency = 紧急程度？
need-preview = 请确认新需求：
    标题：{ $title }
    类别：{ need-category }
    范围：{ need-scope-name } { $place }
    受益对象：{ $who }
    紧急程度：{ need-urgency }
    来源：{ $source }
need-added = ✅ 已加入需求清单：{ $code }。

## 项目清单

cmd-projects = 项目清单
partner-button-next = 下一步 ›
project-state-name = { $state ->
    [planned] 筹备中
    [active] 实施中
    [done] 已完成
   *[cancelled] 已取消
}
project-list-title = 🧩 项目清单（点开查看详情）：
project-list-none = 🧩 项目清单里还没有项目。
project-line = { $code } · { project-state-name } · { $title }
project-button-add = ➕ 新建项目
project-button-start = 🚀 开始实施
project-button-progress = 📢 发布进展
project-button-task = ➕ 添加任务
project-button-done = 🎉 完成并公示成果
project-button-cancel = ⛔ 取消项目
project-button-cancel-yes = 确认取消项目
project-card-title = 🧩 { $code } · { $title }
project-card-goal = 目标：{ $goal }
project-card-scope = 范围：{ $place }
project-card-lead = 牵头单位：{ $unit }
project-card-dates = 时间：{ $start } 至 { $end }
project-card-state = 状态：{ project-state-name }
project-card-needs = 对接需求：{ $needs }
project-card-resources = 使用资源：{ $resources }
project-card-tasks = 任务：{ $count } 项（见下方按钮）
project-card-result = 成果：{ $result }
project-card-rating = 居民评价：{ $average } 星（{ $count } 人）
project-whole-community = 全社区
project-started = { $code } 已开始实施，已通知相关群。
project-cancel-ask = 确定取消项目 { $code }「{ $title }」吗？对接的需求会回到待对接状态。
project-cancelled = 项目 { $code } 已取消，对接的需求已回到需求清单。
project-ask-progress = 请写下 { $code } 的最新进展（1–{ $limit } 个字），会发到相关的网格群：
project-ask-done = 请写下 { $code } 的成果（1–{ $limit } 个字），会在相关的网格群公示，请居民打分：
project-done = { $code } 已完成，成果已公示。
project-progress-posted = 已把 { $code } 的进展发到相关的群。
project-rated = 感谢评价！{ $code } 目前 { $average } 星（{ $count } 人评价）。
project-error-not-found = 找不到项目 { $code }。
project-error-not-visible = 这个项目不对您公开。
project-error-not-in-scope = 只有项目范围内的居民可以评价。
project-error-rated = 您已经评价过 { $code } 了。
project-error-state = { $code } 现在是「{ project-state-name }」，不能这样操作。
project-error-changed = 项目刚刚被别人改动了，请重新打开查看。
project-error-unit = 这个单位现在不能牵头项目，请重新选择。
project-error-no-needs = 请至少选择一项需求。
project-error-no-units = 还没有共建中的驻区单位，先请管理员登记单位吧。
project-error-dates = 结束时间要晚于开始时间，而且不能已经过去。
project-error-date = 请选择或输入一个将来的时间，例如「12月8日 9点」「明天下午3点」。
project-ask-title = 新建项目：项目名称（1–{ $limit } 个字）？
project-ask-goal = 项目目标（1–{ $limit } 个字）？
project-ask-grid = 项目范围？
project-ask-lead = 由哪个驻区单位牵头？
project-ask-needs = 这个项目要满足哪些需求？点击勾选，选好后点「下一步」。
project-ask-needs-none = 您负责的范围里没有待对接的需求。请先在需求清单里添加需求。
project-ask-resources = 要用到哪些资源？点击勾选（可以不选），选好后点「下一步」。
project-ask-resources-none = 资源清单里暂时没有可用的资源，可以直接点「下一步」。
project-ask-starts = 项目什么时候开始？
project-ask-ends = 项目什么时候结束？
project-preview = 请确认新项目：
    名称：{ $title }
    目标：{ $goal }
    对接需求：{ $needs } 项
    使用资源：{ $resources } 项
    时间：{ $start } 至 { $end }
project-created = ✅ 已建立项目 { $code }，已发到相关的群。
project-post-created = 🧩 新项目 { $code }：{ $title }
    目标：{ $goal }
    牵头单位：{ $note }
    时间：{ $start } 至 { $end }
project-post-started = 🚀 项目 { $code }「{ $title }」开始实施了！
project-post-progress = 📢 项目 { $code }「{ $title }」进展：
    { $note }
project-post-done = 🎉 项目 { $code }「{ $title }」已完成，成果公示：
    { $note }
    请居民为成果打分（1–5 星）：

## 任务

task-button-open = 🙋 { $code } { $title }
task-hours = { $hours } 小时
task-ask-title = 为 { $code } 添加任务：任务名称（1–100 个字）？
task-ask-place = 在哪里（1–200 个字）？
task-ask-starts = 什么时候开始？
task-ask-hours = 持续多久？点按钮，或输入小时数（例如 1.5，不超过 24）。
task-error-hours = 请输入大于 0、最多 { $max } 的小时数，例如 2 或 1.5。
task-ask-capacity = 需要多少人（1–{ $limit }）？
task-ask-points = 每人参加能得多少志愿积分（0–{ $limit }）？
task-error-number = 请输入 { $low }–{ $high } 的整数（只用阿拉伯数字）。
task-preview = 请确认任务：
    名称：{ $title }
    地点：{ $place }
    时长：{ $hours } 小时
    人数：{ $capacity } 人
    积分：每人 { $points } 分
task-added = ✅ 已添加任务 { $code }「{ $title }」。驻区单位成员和居民都可以报名。签到、确认时长和积分与志愿活动相同。
task-list-title = 🙋 可以报名的项目任务：
task-list-none = 🙋 现在没有可以报名的项目任务。
task-card = 🙋 { $code } · { $title }（项目 { $project }）
    时间：{ $time }
    地点：{ $place }
    名额：{ $taken }/{ $capacity }
    积分：每人 { $points } 分
task-status = { $status ->
    [going] ✅ 您已报名
    [waiting] ⏳ 您在候补名单上
   *[walk_in] ✅ 您已签到
}
task-button-join = 🙋 报名
task-button-leave = 取消报名
task-joined = { $status ->
    [going] 报名成功！
   *[waiting] 名额已满，您已进入候补名单。
}
task-left = 已取消报名。
task-hours-summary = ⏱ 我的服务
    本月：参加任务 { $month_tasks } 次，共 { $month_hours } 小时
    今年：参加任务 { $year_tasks } 次，共 { $year_hours } 小时，为单位实现微心愿 { $year_wishes } 个
    志愿积分余额：{ $points }（本月获得 { $earned }）
task-checked-in = ✅ 已签到：{ $title }。
task-checkin-usage = 请发送组织者给您的 6 位签到码，例如 /checkin 123456。

## 单位认领微心愿

adopt-list-title = 🌱 等待认领的微心愿（点开查看）：
adopt-list-none = 🌱 现在没有等待认领的微心愿。
adopt-explain = 代表「{ $unit }」认领后，由您来帮忙实现；心愿人确认实现后，积分记给您，也计入单位的报告。
adopt-button = 🙋 代表「{ $unit }」认领
adopt-done = ✅ 您已代表「{ $unit }」认领 { $code }，详情已发给您。实现后请心愿人在「我的」里确认。

## 移动网格员与随手拍

mobile-kind = { $kind ->
    [rider] 外卖骑手
    [courier] 快递员
    [property] 物业人员
    [sanitation] 环卫工人
   *[other] 其他
}
mobile-title = 🛵 移动网格员（{ $count } 人），点名字可以移除：
mobile-none = 🛵 还没有移动网格员。外卖骑手、快递员、物业和环卫人员都可以邀请。
mobile-line = { $name } · { mobile-kind } · { $grid }
mobile-button-invite = ➕ 邀请移动网格员
mobile-ask-kind = 邀请什么岗位的人？
mobile-ask-grid = 负责哪个网格？
mobile-invited = 请把这个链接发给要邀请的人，打开后即成为移动网格员。链接只能使用一次，{ $until } 前有效：
    { $link }
mobile-remove-ask = 确定不再让 { $name } 担任移动网格员吗？
mobile-removed = { $name } 已不再是移动网格员。
mobile-removed-you = 您已不再担任本社区的移动网格员。感谢您一直以来的帮助！
snap-ask-photo = 📷 随手拍：请拍一张隐患的照片发过来。
snap-error-photo = 请发送一张照片（也可以点「取消」）。
snap-ask-place = 隐患在哪里？点下面的楼栋，或者发送您的位置（📎 → 位置）。
snap-error-place = 请点一个楼栋按钮，或发送位置。
snap-no-building = 您附近 { $meters } 米内没有登记了坐标的楼栋，请点楼栋按钮选择。
snap-found = 📍 最近的楼栋：{ $place }（约 { $meters } 米）。
snap-ask-note = 可以补充一句说明（1–{ $limit } 个字）或发一段语音；不需要就点「不补充」。
snap-button-no-note = 不补充
snap-ask-name = 上报时要显示您的名字吗？选择匿名（树洞）后，网格长也看不到是谁报的。
snap-button-anonymous = 🕶 匿名上报（树洞）
snap-button-named = 显示我的名字
snap-preview = 请确认：
    地点：{ $place }
    照片：有
    说明：{ $note }
    语音：{ $voice ->
        [yes] 有
       *[no] 无
    }
    { $anonymous ->
        [yes] 匿名上报
       *[no] 显示您的名字
    }
snap-button-send = 📤 上报
snap-sent = ✅ 已上报，编号 { $code }，已转给该处的网格长和楼栋长。核实属实后您会获得志愿积分。
snap-settled-credited = 🎉 您上报的隐患 { $code } 已被受理，获得 { $points } 志愿积分。谢谢您！
snap-settled-capped = 您上报的隐患 { $code } 已被受理，谢谢您！本月随手拍的积分已达上限，这次不再加分。
snap-settled-unconfirmed = 您上报的 { $code } 经核实未予受理，这次没有积分。仍然感谢您的留心！
snap-error-not-mobile = 只有移动网格员可以随手拍。请向网格长要一个邀请链接。

## 双报告

report-monthly = 📊 「{ $unit }」{ $period } 共驻共建报告
    报到成员：{ $members } 人，其中参加服务的 { $active } 人
    参加任务：{ $tasks } 次，共 { $hours } 小时
    为社区实现微心愿：{ $wishes } 个
    牵头项目：{ $led } 个；参与项目：{ $joined } 个
    居民评价：{ $average } 星（{ $ratings } 人）
    每位成员的明细见附件（CSV，可用 Excel 或 WPS 打开）。感谢贵单位对社区的支持！
partner-export-usage = 用法：/export partners 2026（不写年份就是今年）。
partner-export-year = 年份要写成 { $low }–{ $high } 之间的四位数字，例如 /export partners 2026。
partner-export-units = 📊 { $year } 年驻区单位考评表（{ $count } 个单位）。
partner-export-members = 👥 { $year } 年在职党员与成员明细（{ $count } 人）。有 { $remind } 人某个季度没有参加任何服务，已在表中标出，方便私下提醒（请勿在群里点名）。

## 驾驶舱

partner-cockpit-group = 共驻共建
partner-cockpit-units = 共建单位
partner-cockpit-members = 报到成员
partner-cockpit-members-active = 参加服务的成员
partner-cockpit-tasks = 成员参加任务
partner-cockpit-hours = 成员服务时长
partner-cockpit-projects-live = 进行中的项目
partner-cockpit-projects-done = 完成的项目
partner-cockpit-mobile-members = 移动网格员
partner-cockpit-hazard-reports = 随手拍上报
partner-button-party = ☭ 在职党员登记
partner-unit-you-party = 您的在职党员登记：{ $value ->
    [yes] 是
   *[no] 否
}（只有社区管理员看得到）
partner-separator = 、
project-resource = { $code } { $title }（{ $unit }）
