"""The production compose file and images: structure, health checks, and entry points that match the CLI.

No Docker engine (or compose plugin) runs where the tests run, so this checks the file's structure
and runs the very commands the images run, outside a container; `docker compose config` is used
as well where it exists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from bot.health import beat, check
from executor.__main__ import parser as executor_parser
from tests.conftest import REPO, cli_env

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def dockerfile(name: str) -> str:
    return (REPO / "docker" / name).read_text(encoding="utf-8")


def json_list(dockerfile_text: str, instruction: str) -> list[str]:
    match = re.search(rf"^{instruction}\s+(\[.*\])\s*$", dockerfile_text, re.M)
    assert match, f"no exec-form {instruction}"
    return yaml.safe_load(match.group(1))


def test_services_restart_and_report_health() -> None:
    assert set(SERVICES) == {"redis", "bot", "executor", "executor-cpu"}
    for name, service in SERVICES.items():
        assert service.get("restart") == "unless-stopped", name
        assert service.get("healthcheck", {}).get("test"), name


def test_redis_persists_to_a_volume() -> None:
    redis = SERVICES["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert re.match(r"redis:\d+\.\d+\.\d+", redis["image"]), "pinned image"


def test_bot_is_light_and_keeps_its_data_on_a_volume() -> None:
    bot = SERVICES["bot"]
    assert any(v.endswith(":/data") for v in bot["volumes"])
    assert bot["environment"]["BACKPROP_EMBEDDED_WORKER"] == "false"
    assert bot["env_file"] == ".env"
    installs = [line for line in dockerfile("bot.Dockerfile").splitlines() if "pip install" in line]
    assert installs and not any(
        word in line for line in installs for word in ("torch", "tensorflow", "[executor]")
    )
    assert "DISCORD_TOKEN" not in (REPO / "docker-compose.yml").read_text(encoding="utf-8")


def test_gpu_executor_reserves_a_gpu_with_only_the_sandbox_privileges() -> None:
    executor = SERVICES["executor"]
    devices = executor["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    assert set(executor["cap_add"]) == {"SYS_ADMIN", "NET_ADMIN"}
    assert not executor.get("privileged")
    assert SERVICES["executor-cpu"]["profiles"] == ["cpu"]
    assert "deploy" not in SERVICES["executor-cpu"]


def test_images_pin_their_versions() -> None:
    for name in ("bot.Dockerfile", "executor.Dockerfile"):
        base = re.search(r"^FROM\s+(\S+)", dockerfile(name), re.M).group(1)
        assert re.search(r":\d+\.\d+\.\d+", base), base
        assert "-c docker/constraints.txt" in dockerfile(name)
    assert "torch==2.13.0" in dockerfile("executor.Dockerfile")
    constraints = (REPO / "docker" / "constraints.txt").read_text(encoding="utf-8")
    pins = [line for line in constraints.splitlines() if line and not line.startswith("#")]
    assert all("==" in line for line in pins)
    for package in ("discord.py", "saq", "fsrs", "sqlite-utils", "redis"):
        assert any(line.lower().startswith(package + "==") for line in pins), package


def test_executor_entry_point_and_commands_parse_with_the_cli() -> None:
    entry = json_list(dockerfile("executor.Dockerfile"), "ENTRYPOINT")
    assert entry[:3] == ["python", "-m", "executor"]
    for name in ("executor", "executor-cpu"):
        args = executor_parser().parse_args(
            [*entry[3:], *SERVICES[name]["command"], "--queue", "redis://r:6379/0"]
        )
        assert args.command == "worker"
        assert args.health_port == 8081
    default = executor_parser().parse_args(
        [*entry[3:], *json_list(dockerfile("executor.Dockerfile"), "CMD"), "--queue", "redis://r:6379/0"]
    )
    assert default.device == "cuda:0"


@pytest.mark.parametrize("command", [["discord", "--help"], ["health", "--help"]])
def test_bot_entry_point_commands_exist(command: list[str]) -> None:
    entry = json_list(dockerfile("bot.Dockerfile"), "ENTRYPOINT")
    assert entry == ["python", "-m", "bot"]
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=cli_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_bot_health_follows_the_heartbeat(tmp_path: Path) -> None:
    assert check(tmp_path)[0] is False
    beat(tmp_path)
    assert check(tmp_path)[0] is True
    (tmp_path / "heartbeat").write_text(f"{time.time() - 1000:.0f}\n")
    assert check(tmp_path)[0] is False


@pytest.mark.skipif(
    not shutil.which("docker")
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="the docker compose plugin is not installed here",
)
def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        ["docker", "compose", "config", "-q"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
