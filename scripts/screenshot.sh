#!/usr/bin/env bash
# Makes the README's screenshots from a real terminal: tmux runs the built dashboard offline
# (seed 1's tour), waits for the tour to pause itself on the UNSAFE commit of the attack under
# classic (Beta-Memory's corrupted vote, the why pane) and captures it with colours
# (docs/dashboard.svg), then opens the why overlay (docs/why.svg), then runs on to the fork
# lesson's vote matrix (docs/vote-matrix.svg).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
sock="htui-shot-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
tmux -L "$sock" new-session -d -x 120 -y 40 "TERM=xterm-256color node dist/src/cli/hybrid-tui.mjs --offline --seed 1 --speed 4; sleep 60"
wait_for() {
  for _ in $(seq 1 240); do
    if tmux -L "$sock" capture-pane -p | grep -q "$1"; then return 0; fi
    sleep 0.25
  done
  echo "screenshot: never saw '$1'" >&2
  exit 1
}
wait_for 'auto-paused at section 2/'
tmux -L "$sock" send-keys Space
wait_for 'auto-paused at UNSAFE commit of n999 in round 2'
tmux -L "$sock" capture-pane -e -p > /tmp/hybrid-tui-shot.ansi
node scripts/ansi-to-svg.mjs /tmp/hybrid-tui-shot.ansi > docs/dashboard.svg
tmux -L "$sock" send-keys w
wait_for 'Esc closes'
tmux -L "$sock" capture-pane -e -p > /tmp/hybrid-tui-why.ansi
node scripts/ansi-to-svg.mjs /tmp/hybrid-tui-why.ansi > docs/why.svg
echo "wrote docs/dashboard.svg and docs/why.svg"

# The vote matrix during the tour's fork lesson (the replicated bft, quorum 1/2): the tour pauses
# itself on the FORK; every other auto-pause is run on with space.
if node dist/src/cli/hybrid-tui.mjs --offline --seed 1 --json | grep -q '"fork":true'; then
  tmux -L "$sock" kill-server
  sock="$sock-matrix" # a fresh server: the old one's socket may still be going away
  tmux -L "$sock" new-session -d -x 120 -y 40 "TERM=xterm-256color node dist/src/cli/hybrid-tui.mjs --offline --seed 1 --speed 16; sleep 60"
  for _ in $(seq 1 600); do
    screen=$(tmux -L "$sock" capture-pane -p)
    if grep -q 'FORK in round' <<<"$screen"; then break; fi
    if grep -q 'auto-paused at' <<<"$screen"; then tmux -L "$sock" send-keys Space; sleep 0.4; fi
    sleep 0.2
  done
  wait_for 'FORK in round'
  tmux -L "$sock" capture-pane -e -p > /tmp/hybrid-tui-matrix.ansi
  node scripts/ansi-to-svg.mjs /tmp/hybrid-tui-matrix.ansi > docs/vote-matrix.svg
  echo "wrote docs/vote-matrix.svg"
else
  echo "screenshot: this build's tour has no fork lesson; docs/vote-matrix.svg left as it is"
fi
