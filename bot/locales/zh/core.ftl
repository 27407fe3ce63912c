# 基础:注册、审核、帮助、语言、群组绑定、错误提示(简体中文)

throttled = 操作太快了,请稍等一下再试。

start-greeting = 您好!欢迎使用「邻里」社区小助手。
start-pick-grid = 第一步:请选择您所在的网格。
start-pick-building = 第二步:请选择您住的楼栋({ $grid })。
start-grid-empty = 这个网格还没有楼栋,请选择其他网格。
start-no-structure = 社区还没有录入网格和楼栋,请联系社区管理员。
start-applied = 已提交!您申请加入:{ $grid } · { $building }。
    楼栋长或网格长审核后会通知您。
start-pending = 您的申请正在审核中:{ $grid } · { $building }。
    审核通过后会通知您。
start-welcome-back = 欢迎回来,{ $name }!
start-blocked = 您的账号已被停用。如有疑问,请联系网格长。
start-approved = 审核通过!您已成为 { $grid } · { $building } 的认证居民。
    发送 /help 查看可以做的事。
start-rejected = 很抱歉,您加入 { $grid } · { $building } 的申请未通过。
    如信息有误,可以发送 /start 重新选择。

expected-button = 请点击上面消息里的按钮进行选择。想退出请发送 /cancel。
free-text-hint = 我没听懂这句话。请发送 /help 查看可以做的事。
unknown-command = 没有这个命令。请发送 /help 查看可以使用的命令。

review-request = 新居民申请认证:
    姓名:{ $name }({ $username })
    楼栋:{ $grid } · { $building }
    请核实后选择通过或拒绝。
review-approved = ✅ 已通过:{ $name }({ $grid } · { $building }),操作人 { $chief }。
review-rejected = ❌ 已拒绝:{ $name }({ $grid } · { $building }),操作人 { $chief }。
button-approve = ✅ 通过
button-reject = ❌ 拒绝
button-back = ← 返回
button-open-private = 打开私聊

residents-none = 目前没有待审核的居民。
residents-header = 待审核居民共 { $count } 位:
residents-card = { $name }({ $username })
    楼栋:{ $building }
residents-more = 还有 { $count } 位,处理完上面的再发送 /residents 查看。

help-header = 您可以使用这些命令:
help-header-group = 本群可以使用:
help-group-footer = 其他功能请私聊我使用。
help-unverified-footer = 您还没有通过认证。发送 /start 选择楼栋,审核通过后即可使用全部功能。

lang-choose = 请选择语言 / Choose your language:
lang-set = 已切换为中文。

whoami = 姓名:{ $name }
    Telegram ID:{ $telegram_id }
    身份:{ $role }
    状态:{ $status }
    网格:{ $grid }
    楼栋:{ $building }
    负责范围:{ $area }
whoami-short = { $name }:{ $role }({ $status })
whoami-stranger = 您还没有登记。请私聊我并发送 /start。

role-resident = 居民
role-building-chief = 楼栋长
role-grid-chief = 网格长
role-admin = 社区管理员
status-pending = 待审核
status-verified = 已认证
status-blocked = 已停用

cancel-done = 已取消,没有保存任何内容。
cancel-nothing = 当前没有进行中的操作。

grant-usage = 用法:/grant 用户ID或@用户名 角色 [网格 或 网格/楼栋]
    角色:resident、building_chief、grid_chief、admin
    例如:/grant 123456789 grid_chief 第一网格
grant-done = 已设置:{ $name } 为 { $role }({ $unit })。
grant-told = 您已被设置为 { $role }({ $unit })。发送 /help 查看新的命令。

bind-which = 请选择要把本群绑定到哪个网格或楼栋:
bind-done = 本群已绑定到:{ $unit }。以后的通知会发到这里。
unbind-done = 本群已解除与 { $unit } 的绑定。
unit-grid = 网格
unit-building = 楼栋
group-unbound = 本群还没有绑定网格或楼栋。请网格长或楼栋长(须为群管理员)发送 /bind 绑定。
group-private-only = /{ $command } 需要在私聊中使用,请点击下面的按钮。

error-generic = 操作没有完成。
error-internal = 出了点问题,没有保存任何内容。请稍后再试。
error-not-found = 没有找到这一项。
error-permission = 您没有权限做这件事。
error-invalid-state = 当前状态下不能这样操作。
error-invalid-input = 输入的内容不正确。
error-stale-button = 这个按钮已经失效了。
error-not-verified = 您还没有通过认证,暂时不能使用这个功能。发送 /start 查看申请进度。
error-role-required = { $role ->
    [grid_chief] 只有网格长和管理员可以使用这个功能。
    [admin] 只有管理员可以使用这个功能。
   *[building_chief] 只有楼栋长、网格长和管理员可以使用这个功能。
}
error-outside-area = 这不在您负责的范围内,无法操作。
error-already-verified = 您已经是认证居民了。
error-blocked = 您的账号已被停用。
error-already-handled = 这个申请已经处理过了。
error-unit-not-found = 没有找到网格或楼栋「{ $ref }」。
error-unit-ambiguous = 有多个楼栋叫「{ $ref }」,请写成「网格/楼栋」。
error-structure-import = 导入失败,没有导入任何内容:
    { $errors }
error-bad-user-ref = 「{ $ref }」不是用户ID或 @用户名。
error-user-unknown = 没有找到用户 { $ref }。请让对方先私聊我发送 /start。
error-bad-role = 没有「{ $role }」这个角色。可用:resident、building_chief、grid_chief、admin。
error-grant-needs-unit = 请写明网格或楼栋,例如:第一网格 或 第一网格/1号楼。
error-grant-needs-grid = 网格长需要指定一个网格。
error-grant-needs-building = 楼栋长需要指定一个楼栋(网格/楼栋)。
error-bind-not-chief = 只有网格长、楼栋长或社区管理员可以绑定群。
error-bind-not-group-admin = 您需要是本群的管理员才能绑定或解绑。
error-not-bound = 本群没有绑定。

cmd-start = 开始 / 注册
cmd-help = 帮助
cmd-lang = 切换语言
cmd-whoami = 我的身份
cmd-cancel = 取消当前操作
cmd-residents = 待审核居民
cmd-grant = 设置角色
cmd-bind = 绑定本群到网格或楼栋
cmd-unbind = 解除本群绑定

# 选日期和时间（bot/keyboards/when.py）
when-today = 今天
when-tomorrow = 明天
when-day-after = 后天
when-weekday-date = { $weekday ->
        [0] 周一
        [1] 周二
        [2] 周三
        [3] 周四
        [4] 周五
        [5] 周六
       *[6] 周日
    } { $month }/{ $day }
when-other-day = ⬅ 换一天
when-hint = 请选一天，再选时间；也可以直接输入，例如：明天下午3点、12月8日 9点、12-08 09:00。
