import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, cli_env


def run_bot(*args: str, data_dir: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=cli_env(BACKPROP_DATA_DIR=str(data_dir), BACKPROP_EMBEDDED_WORKER="false", **env),
        timeout=120,
    )


def test_ask_json_has_the_documented_shape(data_dir: Path) -> None:
    result = run_bot("ask", "--json", "dynamic graph", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert set(obj) == {"query", "confident", "results", "error", "off_topic"}
    assert obj["error"] is None and obj["off_topic"] is False
    assert obj["query"] == "dynamic graph"
    assert isinstance(obj["confident"], bool)
    assert len(obj["results"]) >= min(5, len(list((REPO / "content" / "topics").glob("*/*.yaml"))))
    assert set(obj["results"][0]) == {"id", "title", "score"}
    scores = [r["score"] for r in obj["results"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_batch_gives_one_object_per_line(tmp_path: Path, data_dir: Path) -> None:
    batch = tmp_path / "q.txt"
    batch.write_text("显存爆了怎么办\n\nwhat is autograd\n乱码🙂\x01\n", encoding="utf-8")
    result = run_bot("ask", "--json", "--batch", str(batch), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["query"] for o in lines] == ["显存爆了怎么办", "what is autograd", "乱码🙂\x01"]


def test_discord_without_a_token_says_how_to_set_one(data_dir: Path) -> None:
    result = run_bot(data_dir=data_dir)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "make run" in result.stderr


def test_db_backup_copies_the_database(tmp_path: Path, data_dir: Path) -> None:
    run_bot("console", data_dir=data_dir, stdin="/settings language en\n")
    target = tmp_path / "backup" / "copy.db"
    result = run_bot("db", "backup", str(target), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    import sqlite3

    conn = sqlite3.connect(target)
    assert conn.execute("SELECT language FROM members").fetchone() == ("en",)
    conn.close()


def test_db_backup_without_a_database_fails_clearly(tmp_path: Path, data_dir: Path) -> None:
    result = run_bot("db", "backup", str(tmp_path / "x.db"), data_dir=data_dir)
    assert result.returncode == 1
    assert "no database" in result.stderr
