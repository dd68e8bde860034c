#!/usr/bin/python3
"""Golden scores for tests/test_compare.c (test_algoperf_golden), from AlgoPerf's own
scoring code: mlcommons/submissions_algorithms at 12c8e4ea93dc41a1ff6abc3debba9accd8ac1e3a,
scoring/performance_profile.py (compute_performance_profiles) and
scoring/score_submissions.py (compute_leaderboard_score, normalize=True), called as
score_submissions.main calls them (min_tau 1, max_tau 4, 100 points, linear).

    /usr/bin/python3 tests/golden/algoperf_golden.py CHECKOUT OUTDIR

CHECKOUT: a checkout of that repository (its scoring/ package is imported from there);
OUTDIR: a scratch directory for the time_to_targets.csv it writes.  Needs numpy, pandas,
absl, tabulate and matplotlib (Debian: python3-numpy python3-pandas python3-absl
python3-tabulate python3-matplotlib).  Debian's numpy 1.24 has no np.trapezoid (numpy 2),
so np.trapz, the same function, stands in for it.  Not run by the build or the tests: the
scores it prints are literals in the test.
"""
import sys
import numpy as np
import pandas as pd
np.trapezoid = np.trapz
sys.path.insert(0, sys.argv[1])
from scoring import performance_profile as pp
from scoring.config import WorkloadConfig, WorkloadTarget
from scoring.score_submissions import compute_leaderboard_score

inf, nan = np.inf, np.nan
W = ['w0', 'w1', 'w2', 'w3', 'w4']
# times per (submission, workload); nan: the submission lacks the workload; a list: the
# times of the 3 studies (else the same time in each)
T = [[10, 200, inf, 3.0, nan],
     [[5, 12, inf], 100, 50, 12.0, 7],
     [40, 150, 80, 2.5, 7],
     [41, 401, inf, 9.0, 20]]
config = WorkloadConfig('fixture', tuple(W), (), {w: WorkloadTarget('accuracy', 0.5, 1) for w in W})
subs = {}
for s, row in enumerate(T):
    rows = []
    for w, t in zip(W, row):
        if not isinstance(t, list) and np.isnan(t):
            continue
        for study, ts in enumerate(t if isinstance(t, list) else [t] * 3):
            acc, step = ([0.9], [ts]) if np.isfinite(ts) else ([0.1], [1.0])
            rows.append({'workload': w, 'study': study, 'trial': 0,
                         'validation/accuracy': np.array(acc), 'score': np.array(step)})
    subs['s%d' % s] = pd.DataFrame(rows)
prof = pp.compute_performance_profiles(subs, config, time_col='score', min_tau=1.0, max_tau=4.0,
                                       reference_submission_tag=None, num_points=100,
                                       scale='linear', verbosity=0,
                                       self_tuning_ruleset=True, strict=False,
                                       output_dir=sys.argv[2])
scores = compute_leaderboard_score(prof)
print(open(sys.argv[2] + '/time_to_targets.csv').read())
print(', '.join(repr(float(x)) for x in scores['score']))
