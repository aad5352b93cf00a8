"""Datasets at scale: find the translatable units of a corpus, run the translate pipeline
on each (rules first, the Questioner-Solver loop when an endpoint is configured), and write
training data and evaluations as JSONL files with a provenance manifest.

  units.py     discovery of units in files and folders, and their dedup hashes
  worker.py    one unit through the pipeline, in a worker process; returns plain rows
  writer.py    the single writer of a dataset folder: appends, the done-ledger, --resume
  engines.py   where units run: a local process pool, or Ray tasks on a cluster
  build.py     `dataset build`: the driver tying the above together, with progress
  manifest.py  provenance: tool version, git revision, models, prompts, seeds, toolchains
  stats.py     `dataset stats`: counts, pass rates, histograms, failure reasons, a chart
  evaluate.py  `eval`: compile pass, execution pass, verified, rounds and speed-up per unit
"""
