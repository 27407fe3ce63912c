# 微心愿（简体中文）

wish-category = { $category ->
    [daily] 生活用品
    [companionship] 陪伴关爱
    [repairs] 维修帮忙
    [learning] 学习辅导
    [health] 健康就医
   *[other] 其他
}
wish-status = { $status ->
    [open] 等待认领
    [claimed] 已被认领
    [fulfilled] 已实现
   *[withdrawn] 已撤回
}

wish-ask-text = 请写下您的微心愿（1–{ $limit } 字），也可以直接发一条语音，或发一张照片并配上文字。
wish-ask-category = 请选择心愿的类别：
wish-ask-photo = 要配一张照片吗？请直接发送照片，或点「不需要照片」。
wish-ask-show-name = 发到网格群时，要显示您的名字吗？默认不显示，只写「一位邻居」。
wish-ask-consent = 发到网格群时，默认只写「一位邻居」，不写名字，门牌号任何时候都不会公开。
    只有{ $name }本人当面同意时，才可以在群里显示「{ $name }」。
wish-ask-consent-no-name = 发到网格群时会写「一位邻居」：从「{ $written }」里看不出可以公开的称呼，门牌号任何时候都不会公开。
wish-reprompt-text = 请用文字、语音或照片来描述您的心愿。
wish-reprompt-photo = 请发送一张照片，或点「不需要照片」。
wish-reprompt-relay = 请发送文字留言。
wish-draft-lost = 这一步已经失效（可能机器人重启过，或在别的设备上操作过），没有保存任何内容。请重新开始。

wish-button-cancel = ✖ 取消
wish-button-no-photo = 不需要照片
wish-button-name-no = 不显示名字（推荐）
wish-button-name-yes = 显示我的名字
wish-button-consent-no = 不显示名字，只写「一位邻居」（推荐）
wish-button-consent-yes = 本人当面同意，显示「{ $name }」
wish-button-confirm = ✅ 确认发布
wish-button-edit = ✏️ 重新填写
wish-button-claim = 🙋 我来认领
wish-button-fulfil = 🎉 心愿已实现
wish-button-message = 💬 给对方留言
wish-button-release = ↩️ 放弃认领
wish-button-withdraw = 🗑 撤回心愿
wish-button-confirm-action = { $action ->
    [fulfil] ✅ 确认已实现
    [release] ✅ 确认放弃认领
   *[withdraw] ✅ 确认撤回
}
wish-button-keep = ✖ 先不了

wish-preview-title = 请确认您的微心愿（编号在保存时生成）：
wish-preview-heading = 🌱 微心愿 · { wish-category }
wish-preview-voice = 内容：语音留言
wish-preview-photo = 照片：有
wish-preview-no-photo = 照片：无
wish-preview-name-yes = 群里显示您的名字
wish-preview-name-no = 群里不显示您的名字
wish-preview-post-named = 群里显示：{ $name }（本人当面同意）
wish-preview-post-neighbour = 群里显示：一位邻居（不写名字和门牌）

wish-created-posted = 已发布！心愿编号 { $code }，已发到网格群等待邻居认领。有人认领时会通知您。
wish-created-no-group = 已保存！心愿编号 { $code }。您的网格群还没有绑定机器人，网格长会在待办里看到它。

wish-post-title = 🌱 微心愿 { $code } · { wish-category }
wish-post-voice = （语音心愿，认领后可以收听）
wish-post-photo = （照片心愿，认领后可以查看照片）
wish-post-from-neighbour = 来自：{ $building }的一位邻居
wish-post-from-named = 来自：{ $name }（{ $building }）
wish-post-status = 状态：{ wish-status }

wish-card-title = 🌱 { $code } · { wish-category }
wish-card-status = 状态：{ wish-status }
wish-card-building = 楼栋：{ $grid } · { $building }
wish-card-created = 发布时间：{ $at }
wish-card-claimer = 认领人：{ $name }
wish-card-offline = 代录居民：{ $name }
wish-card-for-named = 心愿人：{ $name }（由楼栋长或网格长代录，请通过「给对方留言」联系）
wish-card-for-neighbour = 心愿人：{ $building }的一位邻居（由楼栋长或网格长代录，请通过「给对方留言」联系）
wish-card-points = 认领人获得志愿积分：{ $points } 分

wish-confirm = { $action ->
    [fulfil] 确认 { $code } 已经实现了吗？确认后，{ $name } 将获得 { $points } 分志愿积分，这一步不能撤销。
    [release] 确定放弃认领 { $code } 吗？心愿会重新等待其他邻居认领。
   *[withdraw] 确定撤回 { $code } 吗？撤回后不能恢复，群里的帖子会显示「已撤回」。
}

wish-claim-ok = 认领成功！{ $code } 的详情已私聊发给您。
wish-claim-none = 您所在网格目前没有等待认领的微心愿。
wish-claim-list = 这些微心愿正在等待认领，点击查看：
wish-claimed-you = 谢谢您！您认领了微心愿 { $code }。可以点「给对方留言」和心愿人约时间，电话号码不会被公开。
wish-voice-caption = { $code } 的语音心愿
wish-claimed-author = 好消息！您的微心愿 { $code } 被 { $name } 认领了。可以点「给对方留言」联系，实现后请点「心愿已实现」。
wish-released-author = { $code } 的认领人放弃了认领，心愿重新等待认领。
wish-withdrawn-claimer = 微心愿 { $code } 已被心愿人撤回，谢谢您的热心。
wish-thanks-claimer = 感谢您！微心愿 { $code } 已经实现，您获得志愿积分 { $points } 分。

wish-done-fulfil = { $code } 已确认实现，谢谢！
wish-done-withdraw = { $code } 已撤回。
wish-done-release = 已放弃认领 { $code }。

wish-relay-ask = 请发送给对方的留言（{ $code }，最多 { $limit } 字）。机器人会转达，不会显示您的电话。
wish-relay-from-author = 💬 微心愿 { $code } 的心愿人留言：
    { $text }
wish-relay-from-claimer = 💬 微心愿 { $code } 的认领人留言：
    { $text }
wish-relay-sent = 留言已转达。
wish-relay-failed = 暂时无法转达，对方可能停用了机器人。

wish-error-empty = 心愿内容不能为空，请写 1–{ $limit } 字。
wish-error-no-words = 请用文字写下心愿（1–{ $limit } 字），例如：「想请人帮忙买一袋大米送到家」。
wish-error-relay-words = 请用文字写留言（1–{ $limit } 字），例如：「明天上午十点送过去可以吗？」
wish-error-too-long = 内容太长了：最多 { $limit } 字，您写了 { $length } 字。草稿还在，请缩短后再发送。
wish-error-not-found = 没有找到微心愿 { $code }。
wish-error-state = 微心愿 { $code } 当前状态是「{ wish-status }」，不能这样操作。
wish-error-taken = 来晚了一步，{ $code } 已经被其他邻居认领了。谢谢您的热心！
wish-error-own = 不能认领自己发布或代录的心愿。
wish-error-self-credit = 认领人发布或代录了这个心愿，不能确认实现、也不能给他记积分。
wish-error-not-claimer = 只有认领人可以放弃认领。
wish-error-not-author = 只有心愿人可以这样操作。
wish-error-not-party = 只有心愿人和认领人可以互相留言。
wish-error-bad-ref = 「{ $ref }」不是心愿编号，例如：/claim W12

cmd-wish = 发布微心愿
cmd-claim = 认领微心愿

# /wish_for：楼栋长或网格长为没有手机的居民代录
wish-ask-offline-name = 代居民登记微心愿。请写下居民的称呼和门牌（例如：王奶奶 3单元201）：
wish-ask-building = 请选择居民所在的楼栋：
cmd-wish-for = 代居民登记微心愿
