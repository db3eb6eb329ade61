"""Interface strings in both languages; topic text comes from the content bank.

Strings live in ``STRINGS`` below and in one YAML file per feature under ``bot/core/locales/``
(``key: {zh: ..., en: ...}``); a key defined twice is an error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from bot.core.context import Lang

LOCALES_DIR = Path(__file__).with_name("locales")

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
    "settings.admin_only": {
        "zh": "只有拥有“管理服务器”权限的成员才能修改。",
        "en": "Only members with Manage Server can change this.",
    },
    "settings.server_only": {
        "zh": "这个设置只能在服务器里修改。",
        "en": "This setting only exists on a server.",
    },
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
    # -- study loop: /quiz, /review, /progress, /leaderboard, /export-my-data, /forget-me -------------
    "quiz.title": {"zh": "测验：{topic}", "en": "Quiz: {topic}"},
    "quiz.bad_filter": {
        "zh": "不认识 `{word}`。可以写分类、难度（1-3）或框架（pytorch/tensorflow）。分类：{categories}",
        "en": "I don't know `{word}`. Give a category, a level (1-3) or a framework (pytorch/tensorflow). "
        "Categories: {categories}",
    },
    "quiz.no_match": {"zh": "没有符合这些条件的题目。", "en": "No question matches those filters."},
    "quiz.bad_answer": {
        "zh": "这个答案对应的题目已经不存在了。输入 `/quiz` 再来一题。",
        "en": "That answer does not match a question any more. Type `/quiz` for a new one.",
    },
    "quiz.right": {"zh": "✅ 答对了", "en": "✅ Right"},
    "quiz.wrong": {"zh": "❌ 不太对", "en": "❌ Not quite"},
    "quiz.your_answer": {"zh": "你的答案：{answer}", "en": "Your answer: {answer}"},
    "quiz.right_answer": {"zh": "正确答案：{answer}", "en": "Right answer: {answer}"},
    "quiz.explanation": {"zh": "解析", "en": "Explanation"},
    "quiz.next_review": {
        "zh": "已记录。这个主题下次复习：{when}",
        "en": "Recorded. Next review of this topic: {when}",
    },
    "quiz.not_counted": {
        "zh": "这次不计分：这道题已经答过、已过期，或者是问别人的。",
        "en": "Not counted: this question was already answered, has expired, or was asked to someone else.",
    },
    "quiz.next": {"zh": "再来一题", "en": "Another question"},
    "quiz.more_category": {"zh": "更多 {category}", "en": "More {category}"},
    "quiz.open_topic": {"zh": "查看主题", "en": "Open the topic"},
    "review.title": {"zh": "复习：{topic}（到期 {count} 张）", "en": "Review: {topic} ({count} due)"},
    "review.show": {"zh": "显示答案", "en": "Show answer"},
    "review.answer": {"zh": "答案", "en": "Answer"},
    "review.rate_hint": {
        "zh": "你记得怎么样？按钮上是下次复习的间隔。",
        "en": "How well did you remember? Each button shows when the card comes back.",
    },
    "review.rating.again": {"zh": "忘了", "en": "Again"},
    "review.rating.hard": {"zh": "困难", "en": "Hard"},
    "review.rating.good": {"zh": "记得", "en": "Good"},
    "review.rating.easy": {"zh": "简单", "en": "Easy"},
    "review.done_title": {"zh": "没有到期的卡片", "en": "Nothing due"},
    "review.no_cards": {
        "zh": "你还没有卡片。做几道 `/quiz`，答过的主题会自动加入复习。",
        "en": "You have no cards yet. Answer a few `/quiz` questions: their topics join your reviews.",
    },
    "review.nothing_due": {"zh": "现在没有到期的卡片。", "en": "Nothing is due right now."},
    "review.next_at": {"zh": "下一张卡片到期：{when}", "en": "Next card due: {when}"},
    "review.bad_card": {
        "zh": "找不到这张卡片。输入 `/review` 继续复习。",
        "en": "That card does not exist. Type `/review` to go on.",
    },
    "review.saved": {"zh": "已记录", "en": "Saved"},
    "review.rated": {"zh": "「{topic}」下次复习：{when}", "en": "{topic}: next review {when}"},
    "review.not_due": {
        "zh": "「{topic}」现在还没到期（已经复习过了？），这次不计。下次：{when}",
        "en": "{topic} is not due (already reviewed?), so this did not count. Next: {when}",
    },
    "review.next_card": {"zh": "下一张（还有 {count} 张）", "en": "Next card ({count} due)"},
    "progress.title": {"zh": "学习进度：{who}", "en": "Progress: {who}"},
    "progress.usage": {
        "zh": "用法：`/progress` 或 `/progress @成员`",
        "en": "Usage: `/progress` or `/progress @member`",
    },
    "progress.empty": {
        "zh": "还没有答题记录。试试 `/quiz`！",
        "en": "No answers yet. Try `/quiz`!",
    },
    "progress.streak": {"zh": "连续学习", "en": "Streak (days)"},
    "progress.streak_value": {
        "zh": "🔥 {days} 天（最长 {longest} 天）",
        "en": "🔥 {days} (longest {longest})",
    },
    "progress.accuracy": {"zh": "正确率", "en": "Accuracy"},
    "progress.accuracy_value": {
        "zh": "{percent}%（{correct}/{answers}）",
        "en": "{percent}% ({correct}/{answers})",
    },
    "progress.due": {"zh": "待复习", "en": "Due now"},
    "progress.due_value": {"zh": "{count} 张卡片", "en": "{count} cards"},
    "progress.next": {"zh": "下一张：{when}", "en": "next: {when}"},
    "progress.per_day": {"zh": "每天答题与复习", "en": "Answers and reviews per day"},
    "progress.per_day_value": {
        "zh": "今天 {today} · 近 7 天日均 {average} · 近 {days} 天共 {total}",
        "en": "today {today} · 7-day average {average} · {total} in the last {days} days",
    },
    "progress.mastery": {"zh": "各分类掌握度（预测记忆率）", "en": "Mastery per category (predicted recall)"},
    "progress.chart": {"zh": "学习进度图", "en": "Progress chart"},
    "progress.review": {"zh": "开始复习", "en": "Review"},
    "progress.footer": {
        "zh": "按 {zone} 时区计算天数；用 `/settings timezone Asia/Shanghai` 修改",
        "en": "Days are counted in {zone}; change it with `/settings timezone Europe/London`",
    },
    "leaderboard.title.week": {"zh": "本周排行榜", "en": "Leaderboard: this week"},
    "leaderboard.title.all": {"zh": "总排行榜", "en": "Leaderboard: all time"},
    "leaderboard.switch.week": {"zh": "本周", "en": "This week"},
    "leaderboard.switch.all": {"zh": "总榜", "en": "All time"},
    "leaderboard.usage": {"zh": "用法：`/leaderboard [week|all]`", "en": "Usage: `/leaderboard [week|all]`"},
    "leaderboard.line": {
        "zh": "{rank} {who} — {points} 分（{answers} 题，正确率 {accuracy}%）",
        "en": "{rank} {who} — {points} pts · answered {answers} · {accuracy}% right",
    },
    "leaderboard.empty": {
        "zh": "还没有人上榜。来一题 `/quiz` 吧！",
        "en": "Nobody is on the board yet. Try `/quiz`!",
    },
    "leaderboard.mine": {
        "zh": "你排第 {rank} / {members} 名，{points} 分 · 答对 2 分，答错 1 分",
        "en": "You are #{rank} of {members} with {points} pts · 2 per right answer, 1 per wrong one",
    },
    "leaderboard.not_ranked": {
        "zh": "你还没有上榜 · 答对 2 分，答错 1 分",
        "en": "You are not on this board yet · 2 pts per right answer, 1 per wrong one",
    },
    "leaderboard.you": {"zh": "你", "en": "you"},
    "privacy.export_title": {"zh": "你的数据", "en": "Your data"},
    "privacy.export_text": {
        "zh": "附件是我们存储的关于你的全部数据（{rows} 行）。",
        "en": "Attached is everything stored about you ({rows} rows).",
    },
    "privacy.confirm_title": {"zh": "删除你的全部数据？", "en": "Delete all your data?"},
    "privacy.confirm_text": {
        "zh": "这会永久删除你的设置、答题记录、复习卡片、连续天数和排行榜分数（{summary}），无法恢复。"
        "确认按钮 10 分钟内有效。",
        "en": "This permanently deletes your settings, answers, review cards, streak and leaderboard points "
        "({summary}). It cannot be undone. The button works for 10 minutes.",
    },
    "privacy.yes": {"zh": "是的，全部删除", "en": "Yes, delete everything"},
    "privacy.no": {"zh": "取消", "en": "Cancel"},
    "privacy.cancelled": {"zh": "已取消，什么都没有删除。", "en": "Cancelled: nothing was deleted."},
    "privacy.bad_token": {
        "zh": "这个确认无效（已过期或已使用），什么都没有删除。请重新输入 `/forget-me`。",
        "en": "That confirmation is not valid (expired or used), so nothing was deleted. Run `/forget-me` again.",
    },
    "privacy.forgotten_title": {"zh": "已删除", "en": "Deleted"},
    "privacy.forgotten": {
        "zh": "关于你的 {rows} 行数据已全部删除。",
        "en": "All {rows} rows about you have been deleted.",
    },
    "privacy.usage": {
        "zh": "用法：`/forget-me`，然后点确认按钮。",
        "en": "Usage: `/forget-me`, then press the button.",
    },
    "settings.timezone_set": {
        "zh": "好的，你的时区是 {zone}（当地时间 {local}）。连续天数按这个时区计算。",
        "en": "Done: your time zone is {zone} (local time {local}). Streak days follow it.",
    },
    "settings.timezone_current": {
        "zh": "你的时区：{zone}。修改：`/settings timezone Asia/Shanghai`",
        "en": "Your time zone: {zone}. Change it with `/settings timezone Europe/London`",
    },
    "settings.timezone_unknown": {
        "zh": "不认识时区 `{zone}`。请用 IANA 名称，例如 `Asia/Shanghai`、`America/New_York`。",
        "en": "Unknown time zone `{zone}`. Use an IANA name such as `Asia/Shanghai` or `America/New_York`.",
    },
    # -- the daily question: /daily set|off|status|preview and its posts ----------------------------
    "daily.usage": {
        "zh": "用法：`/daily set #频道 09:00 Asia/Shanghai [分类] [难度]`（管理员）· `/daily off` · `/daily status` · "
        "`/daily preview`",
        "en": "Usage: `/daily set #channel 09:00 Europe/London [category] [level]` (admins) · `/daily off` · "
        "`/daily status` · `/daily preview`",
    },
    "daily.bad_word": {
        "zh": "不认识 `{word}`。请写频道、时间（HH:MM）、IANA 时区，以及可选的分类和难度（1-3）。",
        "en": "I don't know `{word}`. Give a channel, a time (HH:MM), an IANA time zone, and optionally a "
        "category and a level (1-3).",
    },
    "daily.need_channel": {
        "zh": "请指定发帖的频道，例如：`/daily set #每日一题 09:00 Asia/Shanghai`",
        "en": "Name the channel to post in, for example: `/daily set #daily 09:00 Europe/London`",
    },
    "daily.need_time_zone": {
        "zh": "请写上时间（24 小时制 HH:MM）和 IANA 时区，例如 `09:00 Asia/Shanghai`。",
        "en": "Give a time (24-hour HH:MM) and an IANA time zone, for example `09:00 America/New_York`.",
    },
    "daily.set_done": {
        "zh": "好的：每天 {time}（{zone}）在 {channel} 发一道每日一题（{topics}）。下一道：{next}",
        "en": "Done: a daily question in {channel} every day at {time} ({zone}), from {topics}. Next: {next}",
    },
    "daily.off_done": {
        "zh": "每日一题已关闭。`/daily set` 可以重新开启。",
        "en": "The daily question is off. `/daily set` turns it back on.",
    },
    "daily.off_already": {"zh": "每日一题本来就是关闭的。", "en": "The daily question was already off."},
    "daily.status_title": {"zh": "每日一题", "en": "Daily question"},
    "daily.not_set": {
        "zh": "这个服务器还没有设置每日一题。管理员可以用 `/daily set #频道 09:00 Asia/Shanghai` 开启。",
        "en": "This server has no daily question yet. An admin can start one with "
        "`/daily set #channel 09:00 Europe/London`.",
    },
    "daily.field.channel": {"zh": "频道", "en": "Channel"},
    "daily.field.time": {"zh": "时间", "en": "Time"},
    "daily.field.topics": {"zh": "题目范围", "en": "Topics"},
    "daily.field.state": {"zh": "状态", "en": "State"},
    "daily.field.next": {"zh": "下一道", "en": "Next post"},
    "daily.field.last": {"zh": "最近一道", "en": "Last post"},
    "daily.field.when": {"zh": "发布时间", "en": "Goes out"},
    "daily.state_on": {"zh": "✅ 开启", "en": "✅ On"},
    "daily.state_console": {
        "zh": "控制台不发帖；用 `/daily preview` 查看题目",
        "en": "The console posts nothing; `/daily preview` shows the question",
    },
    "daily.state_off": {"zh": "⛔ 已关闭：{reason}（{since}）", "en": "⛔ Off: {reason} ({since})"},
    "daily.reason.turned_off": {"zh": "管理员用 `/daily off` 关闭", "en": "turned off with `/daily off`"},
    "daily.reason.channel_deleted": {
        "zh": "频道已被删除或无法访问，请用 `/daily set` 选一个新频道",
        "en": "the channel was deleted or cannot be reached; pick another with `/daily set`",
    },
    "daily.reason.missing_permission": {
        "zh": "机器人在这个频道没有发帖权限（需要查看频道、发送消息、嵌入链接、创建公开子区），修好后用 `/daily set` 重新开启",
        "en": "the bot may not post in that channel (it needs View Channel, Send Messages, Embed Links and "
        "Create Public Threads); fix it, then run `/daily set` again",
    },
    "daily.reason.rejected": {"zh": "Discord 拒绝了帖子", "en": "Discord refused the post"},
    "daily.reason.no_topics": {"zh": "没有符合筛选条件的题目", "en": "no topic matches the filters"},
    "daily.last_value": {
        "zh": "{date} · {state} · {answers} 人作答",
        "en": "{date} · {state} · {answers} answered",
    },
    "daily.post_state.planned": {"zh": "待发", "en": "planned"},
    "daily.post_state.sending": {"zh": "发送中", "en": "sending"},
    "daily.post_state.sent": {"zh": "已发出", "en": "sent"},
    "daily.post_state.recorded": {"zh": "已发出", "en": "posted"},
    "daily.post_state.missed": {
        "zh": "错过（机器人离线超过宽限时间）",
        "en": "missed (the bot was offline past the grace window)",
    },
    "daily.post_state.failed": {"zh": "失败", "en": "failed"},
    "daily.console_channel": {"zh": "控制台（不发帖）", "en": "console (posts nothing)"},
    "daily.all_topics": {"zh": "全部主题", "en": "all topics"},
    "daily.preview_title": {
        "zh": "预览：{date} 的每日一题 · {topic}",
        "en": "Preview: daily question of {date} · {topic}",
    },
    "daily.preview_not_scheduled": {
        "zh": "还没有安排发帖（`/daily set` 开启）",
        "en": "not scheduled (turn it on with `/daily set`)",
    },
    "daily.title": {"zh": "每日一题 · {date} · {topic}", "en": "Daily question · {date} · {topic}"},
    "daily.yesterday": {"zh": "昨天", "en": "yesterday"},
    "daily.reveal": {
        "zh": "**上一题（{when} · {topic}）的答案：{answer}**\n{stats}",
        "en": "**Answer to the last question ({when}, {topic}): {answer}**\n{stats}",
    },
    "daily.reveal_stats": {
        "zh": "{answers} 人作答，{percent}% 答对。",
        "en": "{answers} answered, {percent}% got it right.",
    },
    "daily.reveal_nobody": {"zh": "没有人作答。", "en": "Nobody answered."},
    "daily.thread_name": {"zh": "每日一题 {date} 讨论", "en": "Daily question {date} · discussion"},
    "daily.unknown_post": {"zh": "找不到这道每日一题。", "en": "That daily question does not exist here."},
    "daily.already": {
        "zh": "你已经答过这道题了（你的答案：{answer}）。",
        "en": "You already answered this one (your answer: {answer}).",
    },
    "daily.closed": {
        "zh": "这道题已经结束了，正确答案是 {answer}。",
        "en": "This question is closed; the right answer was {answer}.",
    },
    "daily.counted": {
        "zh": "已计入你的学习记录。下一道每日一题会公布答案和统计。",
        "en": "Counted in your study record. The next daily question reveals the answer and how everyone did.",
    },
}


@cache
def catalog() -> dict[str, dict[Lang, str]]:
    """Every string: the table above merged with the per-feature YAML files."""
    merged: dict[str, dict[Lang, str]] = dict(STRINGS)
    for path in sorted(LOCALES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"{path.name}: string key {key!r} is defined twice")
            merged[key] = texts
    return merged


def t(key: str, lang: Lang, **values: object) -> str:
    text = catalog()[key][lang]
    return text.format(**values) if values else text
