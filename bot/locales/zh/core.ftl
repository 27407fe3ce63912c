# 基础：注册、审核、主菜单、帮助、语言、群组绑定、错误提示（简体中文）

throttled = 操作太快了，请稍等一下再试。

start-greeting = 您好！欢迎使用「邻里」社区小助手。
start-pick-grid = 第一步：请选择您所在的网格。
start-pick-building = 第二步：请选择您住的楼栋（{ $grid }）。
start-grid-empty = 这个网格还没有楼栋，请选择其他网格。
start-no-structure = 社区还没有录入网格和楼栋，请联系社区管理员。
start-applied = 已提交！您申请加入：{ $grid } · { $building }。
    楼栋长或网格长审核后会通知您。
start-pending = 您的申请正在审核中：{ $grid } · { $building }。
    审核通过后会通知您。
start-welcome-back = 欢迎回来，{ $name }！
    输入框下方的「🏠 菜单」按钮随时可以打开主菜单。
start-blocked = 您的账号已被停用。如有疑问，请联系网格长。
start-approved = 审核通过！您已成为 { $grid } · { $building } 的认证居民。
    点下面的「打开主菜单」开始使用。
start-rejected = 很抱歉，您加入 { $grid } · { $building } 的申请未通过。
    如信息有误，可以发送 /start 重新选择。

expected-button = 请点击上面消息里的按钮进行选择。想退出请发送 /cancel。
free-text-hint = 我没听懂这句话。请发送 /help 查看可以做的事。
unknown-command = 没有这个命令。请发送 /help 查看可以使用的命令。

review-request = 新居民申请认证：
    姓名：{ $name }（{ $username }）
    楼栋：{ $grid } · { $building }
    请核实后选择通过或拒绝。
review-approved = ✅ 已通过：{ $name }（{ $grid } · { $building }），操作人：{ $chief }。
review-rejected = ❌ 已拒绝：{ $name }（{ $grid } · { $building }），操作人：{ $chief }。
button-approve = ✅ 通过
button-reject = ❌ 拒绝
button-back = ← 返回
button-open-private = 打开私聊

help-header = 点输入框下方的「🏠 菜单」按钮最方便。也可以发送这些命令：
help-header-unverified = 您还没有通过认证，现在可以使用这些命令：
help-header-group = 本群可以使用：
help-group-footer = 其他功能请私聊我使用。
help-unverified-footer = 发送 /start 选择楼栋，审核通过后即可使用全部功能。
help-section-wishes = 【邻里互助 · 微心愿】
help-section-requests = 【反映问题 · 诉求】
help-section-deliberation = 【议事协商】
help-section-points = 【志愿积分和活动】
help-section-account = 【我的账号】
help-section-more = 【更多】
help-section-chiefs = 【网格长、楼栋长和管理员】

# 主菜单（handlers/home.py）：按钮文字尽量短
home-button = 🏠 菜单
home-open = 🏠 打开主菜单
home-title = { $name }，您好！想做什么？请点下面的按钮：
home-pending = 现在可以：
home-unregistered = 您还没有登记。点「登记」选择您住的楼栋，审核通过后即可使用全部功能。
home-in-flow = 您还有一项操作没有完成，已填写的内容都保留着：直接回答上一个问题就能继续。点下面的按钮会放弃它，去做别的事。
home-drop = ✖ 放弃未完成的操作
home-dropped = 已放弃未完成的操作，没有保存任何内容。
home-chosen = 🏠 菜单 › { $entry }
home-wish = 🎁 发心愿
home-complain = 📢 反映问题
home-my = 📋 我的
home-points = ⭐ 积分
home-activities = 🙋 活动
home-topics = 🗳 议事
home-queue = 📥 待办
home-residents = 👥 居民
home-notice = 📣 通知
home-pool = 💡 议题库
home-stats = 📊 统计
home-cockpit = 🖥 驾驶舱
home-activity-new = ➕ 发活动
home-award = 🏅 奖励积分
home-grant = 🔑 设置角色
home-start = 📝 登记
home-help = ❓ 帮助
home-lang = 🌐 语言
home-privacy = 🔒 隐私

lang-choose = 请选择语言 / Choose your language:
lang-set = 已切换为中文。

whoami = 姓名：{ $name }
    Telegram ID：{ $telegram_id }
    身份：{ $role }
    状态：{ $status }
    网格：{ $grid }
    楼栋：{ $building }
    负责范围：{ $area }
whoami-short = { $name }：{ $role }（{ $status }）
whoami-stranger = 您还没有登记。请私聊我并发送 /start。

role-resident = 居民
role-building-chief = 楼栋长
role-grid-chief = 网格长
role-admin = 社区管理员
status-pending = 待审核
status-verified = 已认证
status-blocked = 已停用

cancel-done = 已取消，没有保存任何内容。
cancel-nothing = 当前没有进行中的操作。

grant-usage = 用法：/grant 用户ID或@用户名 角色 [网格 或 网格/楼栋]
    角色：resident、building_chief、grid_chief、admin
    例如：/grant 123456789 grid_chief 第一网格
grant-done = 已设置：{ $name } 为 { $role }（{ $unit }）。
grant-told = 您已被设置为 { $role }（{ $unit }）。点「🏠 菜单」可以看到新的按钮，发送 /help 查看新的命令。

bind-which = 请选择要把本群绑定到哪个网格或楼栋：
bind-done = 本群已绑定到：{ $unit }。以后的通知会发到这里。
unbind-done = 本群已解除与 { $unit } 的绑定。
unit-grid = 网格
unit-building = 楼栋
group-unbound = 本群还没有绑定网格或楼栋。请网格长或楼栋长（须为群管理员）发送 /bind 绑定。
group-private-only = /{ $command } 需要在私聊中使用，请点击下面的按钮。

error-generic = 操作没有完成。
error-internal = 出了点问题，没有保存任何内容。请稍后再试。
error-not-found = 没有找到这一项。
error-permission = 您没有权限做这件事。
error-invalid-state = 当前状态下不能这样操作。
error-invalid-input = 输入的内容不正确。
error-stale-button = 这个按钮已经失效了。
error-not-verified = 您还没有通过认证，暂时不能使用这个功能。发送 /start 查看申请进度。
error-role-required = { $role ->
    [grid_chief] 只有网格长和管理员可以使用这个功能。
    [admin] 只有管理员可以使用这个功能。
   *[building_chief] 只有楼栋长、网格长和管理员可以使用这个功能。
}
error-outside-area = 这不在您负责的范围内，无法操作。
error-already-verified = 您已经是认证居民了。
error-blocked = 您的账号已被停用。
error-already-handled = 这个申请已经处理过了。
error-unit-not-found = 没有找到网格或楼栋「{ $ref }」。
error-unit-ambiguous = 有多个楼栋叫「{ $ref }」，请写成「网格/楼栋」。
error-structure-import = 导入失败，没有导入任何内容：
    { $errors }
error-bad-user-ref = 「{ $ref }」不是用户ID或 @用户名。
error-user-unknown = 没有找到用户 { $ref }。请让对方先私聊我发送 /start。
error-bad-role = 没有「{ $role }」这个角色。可用：resident、building_chief、grid_chief、admin。
error-grant-needs-unit = 请写明网格或楼栋，例如：第一网格 或 第一网格/1号楼。
error-grant-needs-grid = 网格长需要指定一个网格。
error-grant-needs-building = 楼栋长需要指定一个楼栋（网格/楼栋）。
error-bind-not-chief = 只有网格长、楼栋长或社区管理员可以绑定群。
error-bind-not-group-admin = 您需要是本群的管理员才能绑定或解绑。
error-not-bound = 本群没有绑定。

cmd-start = 主菜单 / 登记
cmd-help = 帮助
cmd-lang = 切换语言
cmd-whoami = 我的身份
cmd-cancel = 取消当前操作
cmd-residents = 本区居民和入住申请
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

# 角色、辖区和居民名单（handlers/admin.py、handlers/residents.py、handlers/groups.py）
person-former = 一位前居民
people-button-prev = ◀ 上一页
people-button-next = 下一页 ▶
people-button-back = ← 返回
people-page = 第 { $page }/{ $pages } 页
people-search-hint = 人多时可以直接发一个词来找：名字、@用户名或楼栋（例如：张、1号楼）。

residents-list-header = 👥 { $area }：共 { $count } 人，{ $pending ->
        [0] 目前没有待审核的申请。
       *[other] 其中待审核 { $pending } 人。
    }
residents-list-search = 搜索「{ $word }」：
residents-list-building = 楼栋：{ $building }
residents-list-empty = 没有符合条件的人。
residents-filter-pending = ⏳ 待审核 { $count }
residents-filter-verified = 已认证 { $count }
residents-filter-all = 全部 { $count }
residents-button-by-building = 🏠 按楼栋查看
residents-button-building-clear = 🏠 { $building } ✕
residents-button-grant = 🎖 设置角色
residents-pick-building = 请选择楼栋：
residents-card-person = 👤 { $name }
    用户名：{ $username }
    住址：{ $home }
    身份：{ $role }（{ $status }）
    申请或认证时间：{ $since }
residents-approved = 已通过：{ $name }
residents-rejected = 已拒绝：{ $name }

grant-pick-person = 🎖 设置角色：请选择一位居民（共 { $count } 人）。
grant-pick-person-found = 🎖 设置角色：找到 { $count } 人（「{ $word }」），请选择。
grant-pick-role = 请选择 { $name } 的新角色（现在是：{ $role }；住址：{ $home }）：
grant-pick-grid = 请选择 { $name } 负责的网格：
grant-pick-building = 请选择 { $name } 负责的楼栋：
grant-confirm = 确定把 { $name } 设为{ $role }吗？（现在是：{ $was }）
grant-confirm-unit = 确定把 { $name } 设为{ $role }，负责 { $unit } 吗？（现在是：{ $was }）
grant-button-confirm = ✅ 确定
grant-button-cancel = 取消
grant-button-other-person = 👤 换一个人
grant-done-short = 已设置
grant-cancelled = 已取消，没有改变任何角色。
grant-admin-ids-note = 注意：此人在 ADMIN_IDS 配置中，下次给我发消息时会重新成为管理员。请同时把他从 ADMIN_IDS 中去掉。
grant-handed-over = 原来由此人负责的 { $activities } 个志愿活动和 { $notices } 条定时通知已转交给 { $name }，并已通知对方。
handover-told = { $name } 不再负责下面这些事项，现在转交给您管理：
    { $items }
    发送 /activities 或 /notices 查看。
handover-item-activity = · 志愿活动「{ $title }」（{ $when }）
handover-item-notice = · 定时通知 { $id }

error-user-ambiguous = 有多位居民用过 { $ref } 这个用户名，没有设置任何人。请改用下面的用户ID：
    { $candidates }
error-grant-self = 不能更改自己的角色。请请另一位管理员来操作。
error-bind-taken = 本群已经绑定到 { $unit }。只有负责 { $unit } 的楼栋长、网格长或管理员可以改绑；也可以请他们先发送 /unbind 解除绑定。
