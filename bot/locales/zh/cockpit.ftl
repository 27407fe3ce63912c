# 驾驶舱：网页版数据总览（中文）

cmd-cockpit = 打开驾驶舱（网页数据总览）
cockpit-not-set-up = 本社区还没有开通驾驶舱网页。请管理员设置 WEB_PUBLIC_URL 后再试。
cockpit-link =
    📊 驾驶舱登录链接（只能用一次，{ $minutes } 分钟内有效）：
    { $url }

    在手机或电脑的浏览器里打开，按“进入驾驶舱”即可。登录后 { $hours } 小时内有效。请勿转发给他人。

cockpit-error-role = 只有楼栋长、网格长和社区管理员可以使用驾驶舱。
cockpit-error-link = 这个登录链接已经用过或已过期。请在机器人私聊里发送 /cockpit 重新获取。
cockpit-error-period = 时间段不正确：请选择开始和结束日期（结束不早于开始，最长一年）。
cockpit-error-filter = 筛选条件不正确，请重新选择。
cockpit-error-outside = 这不在您负责的范围内，无法查看。
cockpit-error-title = 无法显示

cockpit-title = 驾驶舱
cockpit-brand = 邻里驾驶舱
cockpit-language = 语言
cockpit-sign-out = 退出登录
cockpit-footer = 邻里 · 只读数据总览 · 匿名诉求不显示提交人
cockpit-trail = 上级区域
cockpit-sections = 栏目
cockpit-home = 回到首页

cockpit-area-community = 社区
cockpit-area-grid = 网格
cockpit-area-building = 楼栋
cockpit-children-community = 各网格
cockpit-children-grid = 各楼栋
cockpit-children-building = 下级

cockpit-tab-overview = 总览
cockpit-tab-trends = 趋势
cockpit-tab-breakdown = 分项对比
cockpit-tab-requests = 诉求
cockpit-tab-wishes = 微心愿
cockpit-tab-topics = 议题
cockpit-tab-wall = 大屏

cockpit-period = 时间段
cockpit-period-week = 本周
cockpit-period-month = 本月
cockpit-period-quarter = 本季度
cockpit-period-custom = 自定义
cockpit-from = 从
cockpit-to = 到
cockpit-show = 查看
cockpit-period-range = 统计：{ $first } 至 { $last }；对比上期：{ $pfirst } 至 { $plast }
cockpit-previous = 上期
cockpit-now = 当前
cockpit-see-list = 查看清单 ›

cockpit-group-residents = 居民
cockpit-group-requests = 诉求办理
cockpit-group-wishes = 微心愿
cockpit-group-topics = 议事协商
cockpit-group-points = 志愿积分与公益超市
cockpit-group-activities = 志愿活动
cockpit-group-notices = 通知

cockpit-fig-residents-verified = 已认证居民
cockpit-fig-residents-waiting = 待审核
cockpit-fig-residents-new = 新认证居民
cockpit-fig-received = 收到诉求
cockpit-fig-resolved = 已解决
cockpit-fig-open = 办理中
cockpit-fig-overdue = 已超时
cockpit-fig-in-time = 按时受理率
cockpit-fig-median-accept = 受理用时中位数（小时）
cockpit-fig-median-resolve = 解决用时中位数（小时）
cockpit-fig-resolved-pct = 解决率
cockpit-fig-rating = 群众满意度（5分制）
cockpit-fig-reopen = 重新打开率
cockpit-fig-wishes-posted = 新发布心愿
cockpit-fig-wishes-fulfilled = 实现心愿
cockpit-fig-median-fulfil = 实现用时中位数（小时）
cockpit-fig-wishes-open = 待实现心愿
cockpit-fig-topics-proposed = 新提议题
cockpit-fig-votes-closed = 结束的投票
cockpit-fig-turnout = 投票参与率
cockpit-fig-votes-open = 进行中的投票
cockpit-fig-points-issued = 发放积分
cockpit-fig-points-redeemed = 兑换积分
cockpit-fig-handed-over = 已核销兑换
cockpit-fig-shop-stock = 公益超市库存（件）
cockpit-fig-activities = 举办活动
cockpit-fig-volunteers = 参加志愿者（人）
cockpit-fig-volunteer-hours = 志愿服务时长（小时）
cockpit-fig-notices-sent = 通知送达（群次）
cockpit-fig-notices-failed = 通知发送失败（群次）
cockpit-ratings = 共 { $count } 条评价
cockpit-shop-items = 共 { $count } 种物品
cockpit-stages = 议题各阶段数量

cockpit-updated = 更新于 { $time }，每 { $seconds } 秒自动刷新
cockpit-back = 返回总览

cockpit-trends-note = 最近 { $weeks } 周，每周一至周日，最右边是本周。
cockpit-trend-requests = 诉求：收到与解决
cockpit-trend-speed = 办理速度（小时）
cockpit-trend-rating = 群众满意度
cockpit-trend-wishes = 微心愿：发布与实现
cockpit-trend-points = 积分：发放与兑换
cockpit-trend-volunteering = 志愿服务时长
cockpit-trend-turnout = 投票参与率
cockpit-trend-notices = 通知：送达与失败
cockpit-show-table = 查看数据表
cockpit-col-week = 周（起始日）

cockpit-by-grid = 按网格对比
cockpit-by-building = 按楼栋对比
cockpit-by-category = 诉求按类别
cockpit-by-wish-category = 微心愿按类别
cockpit-col-area = 区域
cockpit-col-code = 编号
cockpit-col-filed = 提交时间
cockpit-col-grid = 网格
cockpit-col-building = 楼栋
cockpit-col-category = 类别
cockpit-col-state = 状态
cockpit-col-overdue = 超时
cockpit-col-author = 提交人
cockpit-col-text = 内容
cockpit-col-rating = 评价
cockpit-col-claimer = 认领人
cockpit-col-scope = 范围
cockpit-col-title = 标题
cockpit-col-supports = 附议
cockpit-col-due = 本阶段期限
cockpit-col-place = 地点
cockpit-col-decision = 决定

cockpit-category-parking = 停车
cockpit-category-sanitation = 环境卫生与垃圾分类
cockpit-category-repairs = 维修与设施
cockpit-category-dispute = 邻里纠纷
cockpit-category-safety = 安全隐患
cockpit-category-noise = 噪音
cockpit-category-other = 其他

cockpit-request-state-active = 未办结（全部）
cockpit-request-state-submitted = 待受理
cockpit-request-state-accepted = 已受理
cockpit-request-state-in-progress = 处理中
cockpit-request-state-resolved = 已解决
cockpit-request-state-closed = 已办结
cockpit-request-state-rejected = 未受理
cockpit-request-state-merged = 已合并

cockpit-wish-category-daily = 生活帮助
cockpit-wish-category-companionship = 陪伴关爱
cockpit-wish-category-repairs = 维修
cockpit-wish-category-learning = 学习
cockpit-wish-category-health = 健康
cockpit-wish-category-other = 其他

cockpit-wish-state-active = 未实现（全部）
cockpit-wish-state-open = 待认领
cockpit-wish-state-claimed = 已认领
cockpit-wish-state-fulfilled = 已实现
cockpit-wish-state-withdrawn = 已撤回

cockpit-topic-state-proposed = 已提议
cockpit-topic-state-shortlisted = 已入选
cockpit-topic-state-declined = 未入选
cockpit-topic-state-discussing = 协商中
cockpit-topic-state-voting = 表决中
cockpit-topic-state-decided = 已决定
cockpit-topic-state-implementing = 落实中
cockpit-topic-state-done = 已完成

cockpit-yes = 是
cockpit-anonymous = 匿名（树洞）
cockpit-offline = { $name }（由楼长代录）
cockpit-overdue = 超时
cockpit-none = 没有符合条件的记录。
cockpit-csv = ⬇ 导出 CSV
cockpit-filter-state = 状态
cockpit-filter-category = 类别
cockpit-filter-building = 楼栋
cockpit-filter-overdue = 只看超时
cockpit-all = 全部
cockpit-found = 共 { $count } 条
cockpit-pages = 翻页
cockpit-prev-page = 上一页
cockpit-next-page = 下一页
cockpit-page-of = 第 { $page } / { $pages } 页
cockpit-neighbour = { $building }的邻居

cockpit-history = 办理记录
cockpit-nobody = 居民本人（匿名）或系统
cockpit-action = { $action ->
    [submitted] 提交
    [accepted] 受理
    [started] 开始处理
    [assigned] 指派
    [rejected] 不予受理
    [resolved] 已解决
    [reopened] 重新打开
    [rated] 评价
    [closed] 办结
    [merged] 合并
    [merged_in] 并入其他诉求
    [metoo] 我也遇到
    [progress] 进展
    [comment] 留言
    [posted] 发布
    [claimed] 认领
    [released] 放弃认领
    [fulfilled] 实现
    [withdrawn] 撤回
    [state] 进入阶段
   *[other] { $action }
}

cockpit-vote = 投票：{ $question }
cockpit-vote-state-open = 进行中
cockpit-vote-state-closed = 已结束
cockpit-vote-deadline = 截止 { $time }
cockpit-vote-turnout = 已投 { $ballots } 票，共 { $eligible } 人有投票权
cockpit-vote-secret = 无记名投票：结束前不显示各选项票数。

cockpit-sign-in = 登录驾驶舱
cockpit-sign-in-as = 您好，{ $name }。按下面的按钮进入驾驶舱。
cockpit-sign-in-button = 进入驾驶舱
cockpit-sign-in-note = 这个链接只能用一次。在公用电脑上用完请按“退出登录”。
cockpit-link-invalid-title = 链接已失效
cockpit-link-invalid = 这个登录链接已经用过、已过期或不完整。请在机器人私聊里发送 /cockpit 重新获取。
cockpit-signed-out-title = 请重新登录
cockpit-signed-out = 您已退出登录，或尚未登录。
cockpit-ended-expired = 登录已过期。
cockpit-ended-role = 您的职务或负责区域有变化，已自动退出登录。
cockpit-how-to-sign-in = 在邻里机器人的私聊里发送 /cockpit，按收到的链接登录。
