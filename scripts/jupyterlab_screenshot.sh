#!/usr/bin/env bash
# Opens a notebook with the gradbook kernel in a real JupyterLab (from PyPI) in headless
# Chromium (Debian's package), runs its code cell and saves a screenshot (docs/jupyterlab.png
# unless a path is given). Everything is installed under target/ and the server listens on
# loopback only. Needs root for apt-get when chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-docs/jupyterlab.png}")"
work="$PWD/target/jupyterlab-shot"
venv="$PWD/target/labvenv"
mkdir -p "$work"

if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
if [ ! -x "$venv/bin/jupyter-lab" ]; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet jupyterlab
fi
if [ ! -d "$work/node_modules/playwright-core" ]; then
    (cd "$work" && npm install --silent --no-audit --no-fund playwright-core >/dev/null)
fi
cargo build --quiet
target/debug/gradbook kernel install --prefix "$venv"

# No news or update toasts over the notebook.
mkdir -p "$venv/share/jupyter/lab/settings"
cat > "$venv/share/jupyter/lab/settings/overrides.json" <<'JSON'
{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}
JSON

# The notebook: written as a percent script, converted by gradbook (kernelspec gradbook).
cat > "$work/lesson.py" <<'PY'
# %% [markdown]
# # Gradients in gradbook
# The gradbook kernel runs PyTorch autograd lessons and prints what PyTorch prints.

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2).sum()
y.backward()
print(y, x.grad)
x * x.grad
PY
mkdir -p "$work/notebooks"
target/debug/gradbook convert "$work/lesson.py" "$work/notebooks/lesson.ipynb"

port=8899
token=gradbook-screenshot
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)
"$venv/bin/jupyter-lab" --no-browser --ip=127.0.0.1 --port=$port "${root_flag[@]}" \
    --IdentityProvider.token=$token --ServerApp.root_dir="$work/notebooks" \
    >"$work/lab.log" 2>&1 &
lab=$!
trap 'kill $lab 2>/dev/null || true' EXIT
for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$port/api/status?token=$token" >/dev/null && break
    kill -0 $lab 2>/dev/null || { cat "$work/lab.log"; exit 1; }
    sleep 0.5
done

cat > "$work/shot.js" <<'JS'
const { chromium } = require('playwright-core');
const [url, out, profile] = process.argv.slice(2);
(async () => {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1000, height: 560 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  await page.goto(url);
  // The kernel is up when the toolbar's kernel name shows gradbook and it is idle.
  await page.waitForSelector('.jp-Notebook .jp-CodeCell', { timeout: 120000 });
  await page.waitForSelector('.jp-Toolbar-kernelName:has-text("gradbook")', { timeout: 120000 });
  await page.waitForSelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', { timeout: 120000 });
  await page.click('.jp-CodeCell .jp-InputArea-editor');
  await page.click('button[data-command="notebook:run-cell-and-select-next"], jp-button[data-command="notebook:run-cell-and-select-next"]');
  await page.waitForSelector('.jp-OutputArea-output:has-text("grad_fn")', { timeout: 120000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  await context.close();
})().catch((e) => { console.error(e); process.exit(1); });
JS
rm -rf "$work/profile"
(cd "$work" && node shot.js "http://127.0.0.1:$port/lab/tree/lesson.ipynb?token=$token" \
    "$out" "$work/profile")
echo "saved $out"
