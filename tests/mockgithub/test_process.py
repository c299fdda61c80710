def test_a_spawned_server_exits_when_its_parent_is_killed() -> None:
    """A `bench run` killed with SIGKILL must not leave its mock server behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    script = (
        "from mockgithub import spawn_server\n"
        "server = spawn_server()\n"
        "print(server.process.pid, flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())  # type: ignore[union-attr]
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while psutil.pid_exists(child) and time.monotonic() < deadline:
        try:
            if psutil.Process(child).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    alive = psutil.pid_exists(child) and psutil.Process(child).status() != psutil.STATUS_ZOMBIE
    assert not alive, "the mock server outlived its parent"
