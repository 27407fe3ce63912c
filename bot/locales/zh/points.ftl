# 志愿积分、志愿活动、邻礼公益超市、转赠、积分排行榜(简体中文)

cmd-points = 我的志愿积分
cmd-gift = 转赠积分
cmd-activities = 志愿活动
cmd-checkin = 活动签到
cmd-activity-new = 发布志愿活动
cmd-rewards = 邻礼公益超市
cmd-leaderboard = 积分排行榜
cmd-award = 奖励积分
cmd-export = 导出数据

points-button-cancel = ✖ 取消
points-button-confirm = ✅ 确认
points-button-history = 📜 全部积分明细
points-button-prev = ← 上一页
points-button-next = 下一页 →
points-button-skip = 跳过

points-summary = 💰 我的志愿积分:{ $balance } 分
    本月获得:{ $month } 分
    在{ $grid }的排名:{ $rank }
points-recent = 最近的积分明细:
points-no-entries = 还没有积分记录。参加志愿活动、帮邻居实现微心愿都可以获得积分。
points-history = 积分明细(第 { $page }/{ $pages } 页):
points-kind-activity = 志愿活动
points-kind-wish = 微心愿
points-kind-award = 奖励
points-kind-redemption = 兑换
points-kind-refund = 退回
points-kind-gift = 转赠
points-kind-correction = 更正

points-error-not-enough = 积分不够:需要 { $need } 分,您现在有 { $have } 分。没有扣除任何积分。
points-error-amount = 「{ $amount }」不是有效的积分数,请输入一个正整数。
points-error-award-max = 每次奖励最多 { $max } 分。没有记录这次奖励。
points-error-award-month = 您本月还能奖励 { $left } 分(每月上限 { $max } 分)。没有记录这次奖励。
points-error-reason = 请写明奖励的原因。
points-error-not-resident = { $ref } 还不是认证居民。
points-error-period = 看不懂时间段「{ $period }」。可以写:2026-11、2026、last(上个月)或 all(全部)。
points-error-ref = 「{ $ref }」不是有效的编号。

board-title = 🏆 积分排行榜 · { $unit } · { $period }
board-monthly-title = 🏆 { $unit } { $month } 志愿积分排行榜
board-month = 本月
board-all = 累计
board-community = 全社区
board-line = { $rank }. { $name } — { $points } 分
board-neighbour = { $building }的邻居
board-empty = 这段时间还没有人获得积分。
board-you = 您的排名:第 { $rank } 名({ $points } 分)
board-you-none = 您在这段时间还没有获得积分。
board-button-month = 本月
board-button-all = 累计
board-button-grid = 本网格
board-button-community = 全社区

gift-choose = 转赠积分:把积分送给社区爱心基金或需要帮助的家庭。
    您现在有 { $balance } 分。请选择转赠对象:
gift-care-fund = ❤️ 社区爱心基金
gift-how-much = 转赠给:{ $name }
    您现在有 { $balance } 分。请选择转赠多少分:
gift-button-amount = { $amount } 分
gift-button-other = 其他数量
gift-type-amount = 请输入要转赠的积分数(正整数):
gift-confirm = 确认把 { $amount } 分转赠给「{ $name }」吗?
    转赠后您还剩 { $after } 分。转赠后不能撤回。
gift-done = ❤️ 谢谢您!已把 { $amount } 分转赠给「{ $name }」。您还剩 { $balance } 分。
gift-already = 这次转赠已经完成了。
gift-funds = 各受赠对象累计收到的积分:
gift-fund-line = { $name }:{ $points } 分{ $active }
gift-inactive = (已停用)
gift-button-add-family = ➕ 添加受助家庭
gift-button-remove = 停用:{ $name }
gift-family-name = 请输入受助家庭的名称(例如:3号楼张奶奶家):
gift-family-added = 已添加受助家庭:{ $name }。
gift-family-removed = 已停用:{ $name }。以后居民不能再向它转赠。
gift-error-name = 名称不能为空,最多 100 个字。
gift-error-duplicate = 已经有叫「{ $name }」的受助家庭了。

award-usage = 用法:/award 用户ID或@用户名 积分 原因
    例如:/award @zhangsan 10 帮助孤寡老人打扫卫生
    每次最多 { $max } 分。管理员更正积分:/award correct @用户名 -10 原因
award-done = 已记录:{ $name } { $points } 分,原因:{ $reason }
award-told = 🎉 您获得了 { $points } 志愿积分!
    原因:{ $reason }
    发放人:{ $chief }
award-corrected = 您的志愿积分已更正:{ $points } 分。
    原因:{ $reason }

export-usage = 用法:/export points 时间段
    时间段:2026-11(某月)、2026(某年)、last(上个月)、all(全部),不写就是本月。
export-done = 积分明细 { $period },共 { $count } 条。

activities-header = 近期的志愿活动,点击查看详情和报名:
activities-none = 近期没有志愿活动。
activities-card = 📌 { $title }({ $id })
    时间:{ $time }
    地点:{ $place }
    名额:{ $taken }/{ $capacity }
    积分:{ $points }
activities-points-flat = 参加一次 { $points } 分
activities-points-hourly = 每小时 { $points } 分
activities-waiting-count = 候补:{ $count } 人
activities-status-going = ✅ 您已报名。
activities-status-waiting = ⏳ 您在候补名单上,有人取消后会通知您。
activities-status-walk-in = ✅ 您已签到。
activities-state-completed = 活动已结束,积分已发放。
activities-state-cancelled = 活动已取消。
activities-button-join = 🙋 报名
activities-button-leave = 取消报名
activities-button-new = ➕ 发布新活动
activities-button-code = 🔑 签到码
activities-button-people = 📋 签到名单
activities-button-confirm = ✅ 确认时长,发放积分
activities-button-stop = ✖ 取消活动
activities-button-hours = { $hours } 小时
activities-button-flat = 按次计分
activities-button-hourly = 按小时计分
activities-joined-going = 报名成功!
activities-joined-waiting = 名额已满,您已进入候补名单。
activities-left = 已取消报名。
activities-promoted = 好消息!有人取消了报名,您已从候补转为正式报名:
    { $title }
    时间:{ $time }
    地点:{ $place }
activities-remind-eve = ⏰ 提醒:明天有志愿活动「{ $title }」
    时间:{ $time }
    地点:{ $place }
    如果去不了,请在 /activities 里取消报名,把名额让给邻居。
activities-remind-hour = ⏰ 提醒:志愿活动「{ $title }」一小时后开始。
    时间:{ $time }
    地点:{ $place }
activities-code = 「{ $title }」的签到码:{ $code }
    请居民在活动期间把这 6 位数字发给我,或打开这个链接签到:
    { $link }
activities-checkin-usage = 请发送活动现场公布的 6 位签到码,例如:/checkin 123456
activities-checked-in = ✅ 签到成功:{ $title }。活动结束后网格长确认时长,积分会发到您的账户。
activities-people = 「{ $title }」签到名单(点击名字切换到场/未到):
activities-people-none = 还没有人报名或签到。
activities-confirm-ask = 确认「{ $title }」的服务时长并发放积分吗?
    到场 { $count } 人,每人 { $points } 分。确认后活动结束,不能再修改。
activities-confirmed = 「{ $title }」已结束,已给 { $count } 位志愿者发放积分。
activities-credited = 🎉 感谢参加志愿活动「{ $title }」!您获得了 { $points } 志愿积分。
activities-stop-ask = 确定取消活动「{ $title }」吗?已报名的居民会收到通知。
activities-stopped = 活动「{ $title }」已取消。
activities-told-stopped = 抱歉,志愿活动「{ $title }」({ $time })已取消。
activities-ask-title = 发布志愿活动 1/7:活动名称是什么?(例如:清扫楼道)
activities-ask-place = 2/7:在哪里集合?
activities-ask-time = 3/7:什么时候开始?请按这个格式输入:12-05 09:00 或 2026-12-05 09:00
activities-ask-hours = 4/7:活动多长时间?点击按钮,或输入小时数(例如 1.5)。
activities-ask-capacity = 5/7:需要多少人?请输入人数。
activities-ask-points = 6/7:积分是多少?请输入一个整数。
activities-ask-basis = 7/7:积分怎么算?
activities-preview = 请核对活动信息:
    名称:{ $title }
    地点:{ $place }
    开始:{ $time }
    时长:{ $hours } 小时
    名额:{ $capacity }
    积分:{ $points }
activities-created = ✅ 活动已发布({ $id }):{ $title }。居民可以在 /activities 里报名。
activities-error-time = 看不懂时间「{ $text }」。请按这个格式输入:12-05 09:00
activities-error-past = 开始时间已经过去了,请输入以后的时间。
activities-error-hours = 活动时长要在 24 小时以内。
activities-error-title = 名称或地点太长了。
activities-error-already-signed = 您已经报过名了。
activities-error-not-signed = 您没有报名这个活动。
activities-error-closed = 这个活动已经开始、结束或取消了。
activities-error-code = 签到码不对。请核对活动现场公布的 6 位数字。
activities-error-window = 现在不在签到时间内。请在活动期间(开始前不久到结束后不久)签到。
activities-error-checked-in = 您已经签到过了,不用重复签到。
activities-error-not-started = 活动还没开始,不能确认时长。

rewards-header = 🎁 邻礼公益超市:用志愿积分兑换礼品。
    您现在有 { $balance } 分。点击商品查看详情:
rewards-empty = 目前货架上还没有商品。
rewards-mine = 您待领取的兑换:
rewards-mine-line = { $id } { $item },领取码 { $code },请在 { $expires } 前领取
rewards-item-button = { $name } · { $cost } 分 · 库存 { $stock }
rewards-inactive-mark = (已下架)
rewards-item-card = 🎁 { $name }
    需要积分:{ $cost } 分
    库存:{ $stock }
    { $description }
rewards-item-inactive = 此商品已下架。
rewards-button-redeem = 兑换
rewards-button-new = ➕ 上架新商品
rewards-button-pending = 📦 待领取的兑换
rewards-button-restock = 库存 +{ $amount }
rewards-button-deactivate = 下架
rewards-button-activate = 重新上架
rewards-button-hand-over = ✅ 已领取(核销)
rewards-button-cancel-redemption = ✖ 取消兑换(退回积分)
rewards-confirm = 确认用 { $cost } 分兑换「{ $item }」吗?
    兑换后您还剩 { $after } 分。
rewards-done = ✅ 兑换成功!编号 { $id }:{ $item }
    领取码:{ $code }
    请在 { $expires } 前到社区邻礼公益超市出示领取码领取。
    您还剩 { $balance } 分。
rewards-already = 已经兑换过了({ $id })。
rewards-redemption-card = { $id }:{ $item }({ $cost } 分)
    兑换人:{ $name }
    领取码:{ $code }
    状态:{ $state }
    领取期限:{ $expires }
rewards-state-reserved = 待领取
rewards-state-handed-over = 已领取
rewards-state-cancelled = 已取消
rewards-state-expired = 已过期
rewards-told-handed-over = ✅ 您兑换的「{ $item }」({ $id })已领取。谢谢您的志愿服务!
rewards-told-cancelled = 您兑换的「{ $item }」({ $id })已取消,积分已退回。
rewards-told-expired = 您兑换的「{ $item }」({ $id })超过领取期限没有领取,已退回 { $points } 分。
rewards-pending-none = 目前没有待领取的兑换。
rewards-pending-header = 待领取的兑换共 { $count } 个:
rewards-ask-name = 上架新商品 1/5:商品名称是什么?
rewards-ask-description = 2/5:简单介绍一下这个商品(可以跳过)。
rewards-ask-photo = 3/5:请发一张商品照片(可以跳过)。
rewards-ask-cost = 4/5:兑换需要多少积分?请输入一个正整数。
rewards-ask-stock = 5/5:库存有多少件?请输入数量。
rewards-preview = 请核对商品信息:
    名称:{ $name }
    介绍:{ $description }
    照片:{ $photo }
    积分:{ $cost }
    库存:{ $stock }
rewards-has-photo = 有
rewards-created = ✅ 已上架:{ $name }。
rewards-item-saved = 已保存,库存 { $stock }。
rewards-error-out-of-stock = 很抱歉,「{ $item }」已经兑换完了。没有扣除积分。
rewards-error-inactive = 这个商品已下架,不能兑换。
rewards-error-not-reserved = 这个兑换已经处理过了。
rewards-error-own-handover = 不能核销自己的兑换,请由其他网格长或管理员核销。
rewards-error-name = 商品名称不能为空,最多 100 个字;介绍最多 500 个字。
board-chart-title = { $unit } { $month } 志愿积分
