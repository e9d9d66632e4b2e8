#!/usr/bin/env bash
# Makes docs/dashboard.svg from a real terminal: tmux runs the built dashboard offline, waits for
# the classic protocol's unsafe commit of the attack round, and captures the screen with colours.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
sock="htui-shot-$$"
tmux -L "$sock" new-session -d -x 120 -y 36 "TERM=xterm-256color node dist/src/cli/main.js --offline --seed 3 --speed 2; sleep 60"
for _ in $(seq 1 120); do
  sleep 0.5
  if tmux -L "$sock" capture-pane -p | grep -q 'UNSAFE commit'; then break; fi
done
tmux -L "$sock" capture-pane -e -p > /tmp/hybrid-tui-shot.ansi
tmux -L "$sock" kill-server
node scripts/ansi-to-svg.mjs /tmp/hybrid-tui-shot.ansi > docs/dashboard.svg
echo "wrote docs/dashboard.svg"
