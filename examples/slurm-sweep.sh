#!/bin/bash
# A sweep as a Slurm job array: each task runs one disjoint shard of the grid on its node's cores;
# a merge afterwards gives the same files as one machine running the whole sweep.
#
#   JOB=$(sbatch --parsable examples/slurm-sweep.sh --preset paper)
#   sbatch --dependency=afterok:$JOB --wrap 'hybrid-tui sweep merge sweep-shards/shard-* --out sweep-out'
#
# Arguments are the sweep's (a spec file, --preset, grid flags); the default is --preset paper.
# SWEEP_SHARDS sets the shards' parent folder; HYBRID_TUI the command (e.g. "node dist/src/cli/main.js").
#SBATCH --job-name=hybrid-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --output=hybrid-sweep-%A_%a.log
set -euo pipefail

read -r -a HYBRID_TUI <<<"${HYBRID_TUI:-hybrid-tui}"
SHARDS="${SWEEP_SHARDS:-sweep-shards}"
if [ "$#" -eq 0 ]; then set -- --preset paper; fi

# --force: a requeued task redoes its own shard folder, and only that one.
"${HYBRID_TUI[@]}" sweep "$@" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  --out "$SHARDS/shard-$SLURM_ARRAY_TASK_ID" \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --force
