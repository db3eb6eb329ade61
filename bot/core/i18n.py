"""Interface strings in both languages; topic text comes from the content bank."""

from __future__ import annotations

from bot.core.context import Lang

STRINGS: dict[str, dict[Lang, str]] = {
    "help.title": {"zh": "Backprop 命令", "en": "Backprop commands"},
    "help.intro": {
        "zh": "PyTorch / TensorFlow 面试辅导：提问、测验、复习和可运行的演示。",
        "en": "PyTorch / TensorFlow interview coaching: ask, quiz, review and runnable demos.",
    },
    "not_available": {
        "zh": "`/{command}` 还没有上线，敬请期待。",
        "en": "`/{command}` is not available yet; it is coming soon.",
    },
    "unknown_command": {
        "zh": "没有 `/{command}` 这个命令。输入 `/help` 查看全部命令。",
        "en": "There is no `/{command}` command. Type `/help` to see them all.",
    },
    "ask.usage": {
        "zh": "请在 `/ask` 后面写上问题，例如：`/ask 显存爆了怎么办`",
        "en": "Put a question after `/ask`, for example: `/ask what does retain_graph keep`",
    },
    "ask.too_long": {
        "zh": "问题太长了（{length} 个字符，上限 {limit}）。请缩短后再问。",
        "en": "That question is too long ({length} characters, the limit is {limit}). Please shorten it.",
    },
    "ask.did_you_mean": {"zh": "你是想问这些吗？", "en": "Did you mean one of these?"},
    "ask.did_you_mean_text": {
        "zh": "没有找到足够确定的答案。请选择最接近的主题：",
        "en": "I am not sure which topic you mean. Pick the closest one:",
    },
    "ask.no_results": {
        "zh": "题库里还没有内容。",
        "en": "The content bank is empty.",
    },
    "topic.unknown": {
        "zh": "没有 id 为 `{topic_id}` 的主题。试试 `/ask` 搜索。",
        "en": "There is no topic with id `{topic_id}`. Try searching with `/ask`.",
    },
    "topic.pitfalls": {"zh": "常见坑", "en": "Pitfalls"},
    "topic.misconception": {"zh": "常见误区", "en": "Common misconception"},
    "topic.wrong": {"zh": "误区", "en": "Claim"},
    "topic.right": {"zh": "纠正", "en": "Correction"},
    "topic.code": {"zh": "代码", "en": "Code"},
    "topic.demo": {"zh": "运行演示", "en": "Run demo"},
    "topic.related": {"zh": "相关主题", "en": "Related"},
    "topic.quiz": {"zh": "考考我", "en": "Quiz me"},
    "topic.no_code": {"zh": "这个主题没有代码示例。", "en": "This topic has no code examples."},
    "topic.no_related": {"zh": "这个主题没有相关主题。", "en": "This topic has no related topics."},
    "topics.title": {"zh": "主题分类", "en": "Topic categories"},
    "topics.pick": {"zh": "选择一个分类", "en": "Pick a category"},
    "topics.pick_topic": {"zh": "选择一个主题", "en": "Pick a topic"},
    "topics.unknown_category": {
        "zh": "没有 `{category}` 这个分类。可选：{known}",
        "en": "There is no category `{category}`. Known: {known}",
    },
    "settings.usage": {
        "zh": "用法：`/settings language zh|en`，或（管理员）`/settings run-code on|off`",
        "en": "Usage: `/settings language zh|en`, or (admins) `/settings run-code on|off`",
    },
    "settings.language_set": {"zh": "好的，之后用中文回答。", "en": "Done: replies will be in English."},
    "level": {"zh": "难度", "en": "level"},
    "demo.pick": {"zh": "选择一个演示", "en": "Pick a demo"},
    "demo.title": {"zh": "演示 {name}", "en": "Demo {name}"},
    "demo.unknown": {"zh": "没有叫 `{name}` 的演示。", "en": "There is no demo called `{name}`."},
    "demo.no_executor": {"zh": "这里没有可用的执行器。", "en": "No executor is available here."},
    "run.title": {"zh": "{name} 的代码", "en": "{name}'s snippet"},
    "run.disabled": {
        "zh": "这个服务器没有开启运行代码。管理员可以用 `/settings run-code on` 开启。",
        "en": "Running code is off on this server. An admin can turn it on with `/settings run-code on`.",
    },
    "run.usage": {"zh": "请在 `!run` 后面附上代码块。", "en": "Put a code block after `!run`."},
    "run.too_long": {
        "zh": "代码太长了（{length} 个字符，上限 {limit}）。",
        "en": "That code is too long ({length} characters, the limit is {limit}).",
    },
    "settings.run_code": {"zh": "运行代码：{state}", "en": "Running code: {state}"},
    "settings.admin_only": {"zh": "只有拥有“管理服务器”权限的成员才能修改。",
                            "en": "Only members with Manage Server can change this."},
    "settings.server_only": {"zh": "这个设置只能在服务器里修改。", "en": "This setting only exists on a server."},
    "run.submitted": {"zh": "已提交，等待执行器…", "en": "Submitted; waiting for an executor…"},
    "run.queued": {"zh": "排队中：第 {position} 位", "en": "Queued: #{position}"},
    "run.running": {"zh": "正在 {device} 上运行…", "en": "Running on {device}…"},
    "run.rejected": {"zh": "没能提交：{reason}", "en": "Not submitted: {reason}"},
    "run.no_output": {"zh": "（没有输出）", "en": "(no output)"},
    "run.full_output": {"zh": "完整输出", "en": "full output"},
    "run.footer": {
        "zh": "耗时 {seconds} 秒 · 设备 {device} · 排队 {wait} 秒 · {worker}",
        "en": "{seconds} s on {device} · queued {wait} s · {worker}",
    },
    "run.status.ok": {"zh": "完成", "en": "done"},
    "run.status.error": {"zh": "出错了", "en": "error"},
    "run.status.timeout": {"zh": "超时被终止", "en": "stopped: time limit"},
    "run.status.memory_limit": {"zh": "内存超限被终止", "en": "stopped: memory limit"},
    "run.status.output_limit": {"zh": "输出过多被截断", "en": "stopped: too much output"},
    "run.status.cancelled": {"zh": "已取消", "en": "cancelled"},
    "run.status.rejected": {"zh": "被拒绝", "en": "rejected"},
    "run.status.worker_lost": {"zh": "执行器失联", "en": "executor lost"},
}


def t(key: str, lang: Lang, **values: object) -> str:
    text = STRINGS[key][lang]
    return text.format(**values) if values else text
