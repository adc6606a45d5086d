"""The built package carries its data: install the wheel into a fresh environment and load every dataset.

This is what a notebook opened alone (Colab) does. The fresh environment gets the wheel only;
its dependencies (pandas, frictionless, …) come from the test environment via PYTHONPATH, so
the test needs no network. PYTHONPATH does not process .pth files, so the repository's editable
install is invisible there and the import must come from the fresh environment.
"""

import json
import os
import subprocess
import sys
import sysconfig
import venv

import japan_central_asia as jca


def test_wheel_installs_and_loads_every_dataset(repo, tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(repo)], check=True, cwd=tmp_path)
    [wheel] = wheels.glob("japan_central_asia-*.whl")

    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, str(wheel)],
                   check=True)

    script = (
        "import json, japan_central_asia as jca\n"
        "print(json.dumps({'file': jca.__file__, 'data': str(jca.data_dir()),\n"
        "  'rows': {n: len(jca.load(n)) for n in jca.dataset_names()}}))\n"
    )
    environment = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"])
    run = subprocess.run([str(python), "-c", script], check=True, capture_output=True, text=True,
                         cwd=tmp_path, env=environment)
    result = json.loads(run.stdout)
    assert result["file"].startswith(str(env_dir)), result["file"]
    assert result["data"].startswith(str(env_dir))
    expected = {name: len(jca.load(name)) for name in jca.dataset_names()}
    assert result["rows"] == expected
