# 个人信息：查看、下载、排行榜显示方式、删除账号（中文）

cmd-privacy = 我的个人信息：查看、下载、删除

privacy-summary = 🔒 我们保存的关于您的信息
    名字：{ $name }
    用户名：{ $username }
    Telegram 编号：{ $telegram_id }
    身份：{ $role }（{ $status }）
    网格 · 楼栋：{ $grid } · { $building }

    您的记录：
    微心愿 { $wishes } 个，认领别人的微心愿 { $claimed } 个
    诉求 { $complaints } 件，关注或「我也遇到」{ $followed } 件
    议题 { $topics } 个，评论 { $comments } 条，附议 { $supports } 次
    投票 { $votes } 次（只记录投过票，不记录选了什么）
    积分明细 { $ledger } 条，兑换 { $redemptions } 次，志愿活动 { $activities } 次

    您可以下载全部信息，或者删除账号。
privacy-button-download = 📥 下载我的信息
privacy-button-leaderboard = 🏆 排行榜上怎样显示我
privacy-button-delete = 🗑 删除我的账号
privacy-button-back = ← 返回
privacy-download-caption = 这是我们保存的关于您的全部信息（JSON 文件）。
privacy-download-sent = 已发送

privacy-current = 在积分排行榜上，您现在显示为：{ $shown }
    请选择显示方式：
privacy-button-name = 显示我的名字
privacy-button-neighbour = 显示为「{ $building }的邻居」
privacy-saved = 已保存。排行榜上您将显示为：{ $shown }

privacy-delete-explain = ⚠️ 删除账号以后：
    · 您的名字、用户名和 Telegram 编号会永久删除，不能恢复。
    · 您发的语音、照片和定位会删除；还没实现的微心愿会撤回；您认领的微心愿会交还，等待别的邻居认领。
    · 已兑换还没领取的物品会取消，积分退回后随账号一起停用。
    · 您的积分明细、投票和诉求记录会匿名保留，社区的积分、票数和处理记录仍然准确，但没有人能知道是您；在名单里您会显示为「一位前居民」。
    · 剩下的积分不能再使用。
    · 以后再给我发消息，要重新注册。
    确定要删除吗？
privacy-button-delete-yes = 是的，永久删除
privacy-button-delete-no = 不删除，保留账号
privacy-delete-cancelled = 好的，您的账号没有任何变化。
privacy-deleted = 您的账号已经删除：名字和 Telegram 编号已清除，其他记录已匿名。谢谢您为邻里做的一切！以后想再使用，发送 /start 重新注册。
privacy-error-chief = 您现在是楼栋长或网格长。请先请社区管理员把这个职务交给别人（/grant），再删除账号。
privacy-error-admin = 您是社区管理员。请先请另一位管理员接手，并把您从 ADMIN_IDS 中去掉，再删除账号。
privacy-wish-released = 认领您的微心愿 { $code } 的邻居已经注销了账号，心愿重新开放，等待别的邻居认领。
