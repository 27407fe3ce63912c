# 志愿积分、志愿活动、邻礼公益超市、转赠、积分排行榜（简体中文）

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

points-summary = 💰 我的志愿积分：{ $balance } 分
    本月获得：{ $month } 分
    在{ $grid }的排名：{ $rank }
points-recent = 最近的积分明细：
points-no-entries = 还没有积分记录。参加志愿活动、帮邻居实现微心愿都可以获得积分。
points-history = 积分明细（第 { $page }/{ $pages } 页）：
points-kind-activity = 志愿活动
points-kind-wish = 微心愿
points-kind-award = 奖励
points-kind-redemption = 兑换
points-kind-refund = 退回
points-kind-gift = 转赠
points-kind-correction = 更正

points-draft-lost = 这一步的内容已经失效（可能机器人重启过，或在别的设备上操作过），没有保存任何内容。请重新开始。
points-error-not-enough = 积分不够：需要 { $need } 分，您现在有 { $have } 分。没有扣除任何积分。
points-error-amount = 「{ $amount }」不是有效的积分数。请输入 1 到 { $max } 之间的整数。
points-error-signed-amount = 「{ $amount }」不是有效的更正数。请输入不为 0 的整数，例如 -10 或 +5，最多 { $max } 分。
points-error-number = 「{ $text }」不是有效的数字。请输入 { $low } 到 { $high } 之间的整数。
points-error-text = 太长了：{ $length } 个字，最多 { $limit } 个字。请改短一点再发。
points-error-no-text = 请输入文字（最多 { $limit } 个字）。
points-error-award-max = 每次奖励最多 { $max } 分。没有记录这次奖励。
points-error-award-month = 您本月还能奖励 { $left } 分（每月最多 { $max } 分）。没有记录这次奖励。
points-error-reason = 请写明原因（一行字，最多 { $max } 个字）。
points-error-reason-long = 原因太长了：{ $length } 个字，最多 { $max } 个字。
points-error-not-resident = { $ref } 还不是认证居民。
points-error-period = 看不懂时间段「{ $period }」。可以写：2026-11（某月）、2026（某年）、上月 或 全部。
points-error-ref = 「{ $ref }」不是有效的编号。请写成 { $letter }8 或 8 这样。
points-withheld = { $why ->
        [pair] ℹ️ { $ref } 的积分这次没有发放：同一位邻居的微心愿，每月最多给您记 { $pair } 次积分。
       *[month] ℹ️ { $ref } 的积分达到了每月上限：应得 { $wanted } 分，实发 { $credited } 分（微心愿和志愿活动每月最多 { $cap } 分）。
    }
    如有特殊情况，可以请社区管理员解除本月上限。
points-withheld-author = { $why ->
        [pair] ℹ️ 谢谢您确认 { $ref }！不过 { $name } 这次没有获得积分：同一位邻居的微心愿，每月最多给对方记 { $pair } 次积分。
       *[month] ℹ️ 谢谢您确认 { $ref }！{ $name } 本月的积分已达上限，这次实发 { $credited } 分（应得 { $wanted } 分）。
    }
points-cap-lifted = { $released ->
        [0] 社区管理员解除了您 { $month } 的积分上限，本月之后获得的积分都会全额发放。
       *[other] 社区管理员解除了您 { $month } 的积分上限，之前没有发放的 { $released } 分已经补发。
    }

board-title = 🏆 积分排行榜 · { $unit } · { $period }
board-monthly-title = 🏆 { $unit } { $month } 志愿积分排行榜
board-month = 本月
board-all = 累计
board-community = 全社区
board-line = { $rank }. { $name } — { $points } 分
board-neighbour = { $building }的邻居
board-empty = 这段时间还没有人获得积分。
board-you = 您的排名：第 { $rank } 名（{ $points } 分）
board-you-none = 您在这段时间还没有获得积分。
board-button-month = 本月
board-button-all = 累计
board-button-grid = 本网格
board-button-community = 全社区
board-chart-title = { $unit } { $month } 志愿积分

gift-choose = 转赠积分：把积分送给社区爱心基金或需要帮助的家庭。
    您现在有 { $balance } 分。请选择转赠对象：
gift-care-fund = ❤️ 社区爱心基金
gift-how-much = 转赠给：{ $name }
    您现在有 { $balance } 分。请选择转赠多少分：
gift-button-amount = { $amount } 分
gift-button-other = 其他数量
gift-type-amount = 请输入要转赠的积分数（正整数）：
gift-confirm = 确认把 { $amount } 分转赠给「{ $name }」吗？
    转赠后您还剩 { $after } 分。转赠后不能撤回。
gift-done = ❤️ 谢谢您！已把 { $amount } 分转赠给「{ $name }」。您还剩 { $balance } 分。
gift-already = 这次转赠已经完成了。
gift-funds = 各受赠对象累计收到的积分：
gift-fund-line = { $name }：{ $points } 分{ $active }
gift-inactive = （已停用）
gift-button-add-family = ➕ 添加受助家庭
gift-button-remove = 停用：{ $name }
gift-family-name = 请输入受助家庭的名称（例如：3号楼张奶奶家）：
gift-family-added = 已添加受助家庭：{ $name }。
gift-family-removed = 已停用：{ $name }。以后居民不能再向它转赠。
gift-error-name = 名称不能为空，最多 100 个字。
gift-error-duplicate = 已经有叫「{ $name }」的受助家庭了。

award-usage = 发送 /award，从名单里选人、点按钮选积分，再写上原因即可。
    也可以直接输入：/award 用户ID或@用户名 积分 原因
    例如：/award @zhangsan 10 帮助孤寡老人打扫卫生
    每次最多 { $max } 分。管理员更正积分：/award 更正 @用户名 -10 原因
award-choose = 给谁奖励积分？请在下面选择（共 { $count } 人）。
    人多时可以直接发一个字或词（名字或楼栋，例如「张」或「3号楼」）来查找。
award-no-match = 没有找到名字或楼栋含有「{ $word }」的居民。请换一个字或词再试。
award-nobody = 您负责的范围内还没有认证居民。
award-search-hint = 请发一个字或词来查找（最多 { $limit } 个字），或在上面的名单里选择。
award-how-much = 奖励给：{ $name }
    奖励多少分？每次最多 { $max } 分，您本月还能奖励 { $left } 分。
award-withheld = 本月因上限没有发放给对方的积分：{ $withheld } 分。
award-how-much-correct = 更正 { $name } 的积分：加还是减多少分？
award-type-amount = 请输入积分数（1 到 { $max } 之间的整数）：
award-type-correction = 请输入更正的分数（例如 -10 或 +5，最多 { $most } 分）：
award-ask-reason = 为什么给 { $name } 这些积分？请写一行原因（最多 { $limit } 个字），对方会看到。
award-preview = 请确认：奖励 { $name } { $points } 分
    原因：{ $reason }
award-preview-correct = 请确认：更正 { $name } 的积分 { $points } 分
    原因：{ $reason }
award-lift-ask = 确认解除 { $name } { $month } 的积分上限吗？
    本月因上限没有发放的 { $withheld } 分会马上补发，本月之后的积分也不再受上限限制。此操作会记入审计日志。
award-lifted = 已解除 { $name } { $month } 的积分上限，补发了 { $released } 分。
award-button-amount = +{ $amount }
award-button-other = 其他分数
award-button-correct = ✏️ 更正积分（加或减）
award-button-lift = 🔓 解除本月上限（未发 { $withheld } 分）
award-done = 已记录：{ $name } { $points } 分，原因：{ $reason }
award-told = 🎉 您获得了 { $points } 志愿积分！
    原因：{ $reason }
    发放人：{ $chief }
award-corrected = 您的志愿积分已更正：{ $points } 分。
    原因：{ $reason }
award-error-ambiguous = 有不止一位居民的用户名是 { $ref }，请改用用户ID：
    { $candidates }
award-error-self = 不能给自己奖励或更正积分，请由其他网格长或管理员办理。
award-error-lifted = 这位居民 { $month } 的积分上限已经解除过了。

export-usage = 用法：/export points 时间段
    时间段：2026-11（某月）、2026（某年）、上月、全部；不写就是本月。
export-done = 积分明细 { $period }，共 { $count } 条。

activities-header = 近期的志愿活动，点击查看详情和报名：
activities-none = 近期没有志愿活动。
activities-card = 📌 { $title }（{ $id }）
    时间：{ $time }
    地点：{ $place }
    名额：{ $taken }/{ $capacity }
    积分：{ $points }
activities-points-flat = 参加一次 { $points } 分
activities-points-hourly = 每小时 { $points } 分
activities-waiting-count = 候补：{ $count } 人
activities-status-going = ✅ 您已报名。
activities-status-waiting = ⏳ 您在候补名单上，有人取消后会通知您。
activities-status-walk-in = ✅ 您已签到。
activities-state-completed = 活动已结束，积分已发放。
activities-state-cancelled = 活动已取消。
activities-button-join = 🙋 报名
activities-button-leave = 取消报名
activities-button-new = ➕ 发布新活动
activities-button-code = 🔑 签到码
activities-button-qr = 🔳 签到二维码（打印贴在门口）
activities-button-people = 📋 签到名单
activities-button-confirm = ✅ 确认时长，发放积分
activities-button-stop = ✖ 取消活动
activities-button-hours = { $value } 小时
activities-button-capacity = { $value } 人
activities-button-points = { $value } 分
activities-button-flat = 按次计分
activities-button-hourly = 按小时计分
activities-joined-going = 报名成功！
activities-joined-waiting = 名额已满，您已进入候补名单。
activities-left = 已取消报名。
activities-promoted = 好消息！有人取消了报名，您已从候补转为正式报名：
    { $title }
    时间：{ $time }
    地点：{ $place }
activities-left-minutes = { $minutes } 分钟
activities-left-hours = { $minutes ->
        [0] { $hours } 小时
       *[other] { $hours } 小时 { $minutes } 分钟
    }
activities-remind-eve = ⏰ 提醒：志愿活动「{ $title }」{ $day ->
        [0] 今天
        [1] 明天
       *[other] { $date }
    } { $time } 开始（还有 { $left }）。
    地点：{ $place }
    如果去不了，请在 /activities 里取消报名，把名额让给邻居。
activities-remind-hour = ⏰ 提醒：志愿活动「{ $title }」{ $time } 开始，还有 { $left }。
    地点：{ $place }
activities-code = 「{ $title }」的签到码：{ $code }
    请居民在活动期间把这 6 位数字发给我，或打开这个链接签到：
    { $link }
activities-qr = 「{ $title }」签到二维码（{ $time }）
    请打印贴在活动现场门口。居民用手机相机扫码，在 Telegram 里打开就能签到；也可以直接把签到码 { $code } 发给我。
activities-checkin-usage = 请发送活动现场公布的 6 位签到码，例如：/checkin 123456
activities-checked-in = ✅ 签到成功：{ $title }。活动结束后网格长确认时长，积分会发到您的账户。
activities-people = 「{ $title }」签到名单（点击名字切换到场/未到）：
activities-people-none = 还没有人报名或签到。
activities-confirm-ask = 确认「{ $title }」的服务时长并发放积分吗？
    到场 { $count } 人，每人 { $points } 分。确认后活动结束，不能再修改。
activities-confirmed = 「{ $title }」已结束，已给 { $count } 位志愿者发放积分。
activities-credited = 🎉 感谢参加志愿活动「{ $title }」！您获得了 { $points } 志愿积分。
activities-stop-ask = 确定取消活动「{ $title }」吗？已报名的居民会收到通知。
activities-stopped = 活动「{ $title }」已取消。
activities-told-stopped = 抱歉，志愿活动「{ $title }」（{ $time }）已取消。
activities-ask-title = 发布志愿活动 1/7：活动名称是什么？（例如：清扫楼道，最多 100 个字）
activities-ask-place = 2/7：在哪里集合？（最多 200 个字）
activities-ask-time = 3/7：什么时候开始？
activities-ask-hours = 4/7：活动多长时间？点击按钮，或输入小时数（例如 1.5，最多 { $hours } 小时）。
activities-ask-capacity = 5/7：需要多少人？点击按钮，或输入人数（最多 { $capacity } 人）。
activities-ask-basis = 6/7：积分怎么算？
activities-ask-points = 7/7：{ $basis ->
        [hour] 每小时
       *[flat] 参加一次
    }给多少分？点击按钮，或输入整数（0 到 { $points } 分）。
activities-preview = 请核对活动信息：
    名称：{ $title }
    地点：{ $place }
    开始：{ $time }
    时长：{ $hours } 小时
    名额：{ $capacity } 人
    积分：{ $points }
activities-created = ✅ 活动已发布（{ $id }）：{ $title }。居民可以在 /activities 里报名。
activities-error-time = 看不懂时间「{ $text }」。请点上面的按钮选择，或这样输入：明天下午3点、12月8日 9点、12-08 09:00。
activities-error-past = 开始时间已经过去了，请选一个以后的时间。
activities-error-hours = 活动时长要大于 0，最多 { $max } 小时（可以写 1.5 这样的小数）。
activities-error-capacity = 人数要在 1 到 { $max } 之间。
activities-error-points = 积分要在 0 到 { $max } 分之间（按小时计分时是每小时的分数）。
activities-error-title = 名称最多 { $title } 个字，地点最多 { $place } 个字。
activities-error-already-signed = 您已经报过名了。
activities-error-not-signed = 您没有报名这个活动。
activities-error-closed = 这个活动已经开始、结束或取消了。
activities-error-code = 签到码不对，或者现在不在签到时间内。请核对活动现场公布的 6 位数字，在活动期间签到。
activities-error-code-locked = 签到码输错的次数太多了（每小时最多 { $max } 次）。请 { $minutes } 分钟后再试，或请现场的网格长帮您签到。
activities-error-checkin-scope = 这个活动只面向本网格的居民，您不能在这里签到。
activities-error-full = 这个活动的名额已满，不能签到。请联系现场的网格长。
activities-error-checked-in = 您已经签到过了，不用重复签到。
activities-error-not-started = 活动还没开始，不能确认时长。
activities-error-own-attendance = 不能给自己标记到场，请由其他网格长或管理员标记。
activities-error-own-confirm = 您在这个活动的签到名单上，不能自己确认时长。请由其他网格长或管理员确认。

rewards-header = 🎁 邻礼公益超市：用志愿积分兑换礼品。
    您现在有 { $balance } 分。点击商品查看详情：
rewards-empty = 目前货架上还没有商品。
rewards-mine = 您待领取的兑换：
rewards-mine-line = { $id } { $item }，领取码 { $code }，请在 { $expires } 前领取
rewards-item-button = { $name } · { $cost } 分 · 库存 { $stock }
rewards-inactive-mark = （已下架）
rewards-item-card = 🎁 { $name }
    需要积分：{ $cost } 分
    库存：{ $stock }
    { $description }
rewards-item-inactive = 此商品已下架。
rewards-button-redeem = 兑换
rewards-button-new = ➕ 上架新商品
rewards-button-pending = 📦 待领取的兑换
rewards-button-restock = 库存 +{ $amount }
rewards-button-deactivate = 下架
rewards-button-activate = 重新上架
rewards-button-hand-over = ✅ 已领取（核销）
rewards-button-cancel-redemption = ✖ 取消兑换（退回积分）
rewards-confirm = 确认用 { $cost } 分兑换「{ $item }」吗？
    兑换后您还剩 { $after } 分。
rewards-done = ✅ 兑换成功！编号 { $id }：{ $item }
    领取码：{ $code }
    请在 { $expires } 前到社区邻礼公益超市出示领取码领取。
    您还剩 { $balance } 分。
rewards-already = 已经兑换过了（{ $id }）。
rewards-redemption-card = { $id }：{ $item }（{ $cost } 分）
    兑换人：{ $name }
    领取码：{ $code }
    状态：{ $state }
    领取期限：{ $expires }
rewards-state-reserved = 待领取
rewards-state-handed-over = 已领取
rewards-state-cancelled = 已取消
rewards-state-expired = 已过期
rewards-told-handed-over = ✅ 您兑换的「{ $item }」（{ $id }）已领取。谢谢您的志愿服务！
rewards-told-cancelled = 您兑换的「{ $item }」（{ $id }）已取消，积分已退回。
rewards-told-expired = 您兑换的「{ $item }」（{ $id }）超过领取期限没有领取，已退回 { $points } 分。
rewards-pending-none = 目前没有待领取的兑换。
rewards-pending-header = 待领取的兑换共 { $count } 个：
rewards-ask-name = 上架新商品 1/5：商品名称是什么？（最多 100 个字）
rewards-ask-description = 2/5：简单介绍一下这个商品（最多 500 个字，可以跳过）。
rewards-ask-photo = 3/5：请发一张商品照片（可以跳过）。
rewards-ask-cost = 4/5：兑换需要多少积分？请输入 1 到 { $max } 之间的整数。
rewards-ask-stock = 5/5：库存有多少件？请输入 0 到 { $max } 之间的整数。
rewards-preview = 请核对商品信息：
    名称：{ $name }
    介绍：{ $description }
    照片：{ $photo }
    积分：{ $cost }
    库存：{ $stock }
rewards-has-photo = 有
rewards-created = ✅ 已上架：{ $name }。
rewards-item-saved = 已保存，库存 { $stock }。
rewards-error-out-of-stock = 很抱歉，「{ $item }」已经兑换完了。没有扣除积分。
rewards-error-inactive = 这个商品已下架，不能兑换。
rewards-error-not-reserved = 这个兑换已经处理过了。
rewards-error-own-handover = 不能核销自己的兑换，请由其他网格长或管理员核销。
rewards-error-name = 商品名称不能为空，最多 100 个字；介绍最多 500 个字。

points-unusual-title = ⚠️ 异常积分（请留意，可能有人刷分）：
points-unusual-pair = · { $author } 的微心愿给 { $claimer } 记了 { $credits } 次积分，共 { $points } 分
points-unusual-resident = · { $name } 这段时间获得 { $earned } 分{ $withheld ->
        [0] {""}
       *[other] ，因上限没有发放 { $withheld } 分
    }
