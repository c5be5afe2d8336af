#!/usr/bin/python3
"""Writes scipy_reference.json, the values the Statistics tests must reproduce.

Generated with scipy 1.10.1, numpy 1.24.2 and mpmath 1.2.1 (Debian 12's python3-scipy, python3-numpy, python3-mpmath):
    /usr/bin/python3 scipy_reference.py > scipy_reference.json
Non-finite numbers are written as the strings "inf", "-inf" and "nan" (JSON has no literal for them).

Student-t quantiles come from mpmath at 40 digits, not from scipy: scipy 1.10.1's t.ppf (cephes stdtrit) is off by up
to ~1e-9 relative (t.sf(t.ppf(0.975, 5), 5) = 0.02499999997), so its value is kept beside the exact one for
information only, and the confidence intervals below use the exact quantile.
"""
import json
import math
import sys
import warnings

import mpmath
import numpy as np
import scipy
import scipy.special as special
import scipy.stats as stats


def number(value):
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


# scipy warns about the small samples and identical values this file holds on purpose.
warnings.simplefilter("ignore")
rng = np.random.default_rng(20240531)

log_gamma = [{"x": x, "value": number(special.gammaln(x))}
             for x in [1e-8, 0.001, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.7, 7.25, 14.9, 15.0, 20.5, 100.0, 500.5, 1e4]]

beta = [{"a": a, "b": b, "x": x, "value": number(special.betainc(a, b, x))}
        for a, b in [(0.5, 0.5), (0.5, 2.5), (1.0, 1.0), (2.0, 0.5), (2.5, 0.5), (5.0, 3.0), (15.0, 0.5), (50.0, 0.5), (500.0, 0.5), (3.0, 40.0)]
        for x in [1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 0.999999]]

gamma_q = [{"a": 0.5, "x": x, "value": number(special.gammaincc(0.5, x))}
           for x in [1e-10, 0.01, 0.5, 1.0, 1.49, 1.51, 3.0, 10.0, 50.0, 300.0]]

normal = [{"z": z, "upper_tail": number(stats.norm.sf(z))}
          for z in [-5.0, -1.96, -0.3, 0.0, 1e-8, 0.5, 1.0, 1.6448536269514722, 1.96, 3.0, 6.0, 10.0, 30.0]]

degrees = [1, 2, 3, 4, 5, 7, 10, 29, 100, 1000]
t_tail = [{"t": t, "df": df, "cdf": number(stats.t.cdf(t, df)), "upper_tail": number(stats.t.sf(t, df))}
          for df in degrees for t in [-40.0, -2.5, -0.1, 0.0, 1e-9, 0.7, 1.0, 2.0, 2.776, 5.0, 12.0, 100.0, 1e6]]
mpmath.mp.dps = 40


def t_quantile_exact(p, df):
    """The p-quantile of Student's t: the root of P(T > t) = 1 - p, from scipy's value as the starting point."""
    if p == 0.5:
        return 0.0
    tail = mpmath.mpf(p) if p < 0.5 else 1 - mpmath.mpf(p)

    def upper_excess(t):
        return mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - tail

    t = mpmath.findroot(upper_excess, mpmath.mpf(abs(float(stats.t.ppf(p, df)))))
    return float(-t if p < 0.5 else t)


t_quantile = [{"p": p, "df": df, "value": number(t_quantile_exact(p, df)), "scipy_ppf": number(stats.t.ppf(p, df))}
              for df in degrees for p in [1e-9, 0.001, 0.025, 0.1, 0.4999, 0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.999999]]


def sample_case(values):
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = np.mean(values)
    std = np.std(values, ddof=1)
    # mean ± t(0.975, n − 1) s / √n; stats.t.interval would refuse the scale 0 of identical values.
    half = t_quantile_exact(0.975, n - 1) * std / math.sqrt(n)
    return {"values": [float(v) for v in values], "mean": number(mean), "std": number(std), "ci_low": number(mean - half), "ci_high": number(mean + half)}


samples = [sample_case(v) for v in [
    [0.81, 0.79, 0.84, 0.77, 0.80],
    [0.5, 0.6],
    [0.9, 0.9, 0.9],
    rng.uniform(0.5, 1.0, 7),
    rng.normal(0.75, 0.05, 12),
]]


def paired_case(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    result = stats.ttest_rel(x, y)
    d = x - y
    n = len(d)
    mean = np.mean(d)
    half = t_quantile_exact(0.975, n - 1) * np.std(d, ddof=1) / math.sqrt(n)
    return {"x": [float(v) for v in x], "y": [float(v) for v in y], "statistic": number(result.statistic), "p": number(result.pvalue),
            "mean_difference": number(mean), "ci_low": number(mean - half), "ci_high": number(mean + half)}


paired = [
    paired_case([0.81, 0.79, 0.84, 0.77, 0.80], [0.75, 0.78, 0.80, 0.70, 0.79]),
    paired_case([0.6, 0.7], [0.65, 0.62]),
    paired_case([1.0, 2.0, 3.0], [0.0, 1.0, 2.0]),
    paired_case(rng.uniform(0.6, 0.9, 6), rng.uniform(0.6, 0.9, 6)),
    paired_case(rng.normal(0.8, 0.02, 20), rng.normal(0.79, 0.02, 20)),
]


def wilcoxon_case(differences, method="auto"):
    d = np.asarray(differences, dtype=float)
    result = stats.wilcoxon(d, method=method)
    return {"differences": [float(v) for v in d], "method": method, "statistic": number(result.statistic), "p": number(result.pvalue)}


wilcoxon = [
    # exact: no zeros, no ties, n <= 50
    wilcoxon_case([0.03, -0.01, 0.05, 0.02, 0.04, 0.06]),
    wilcoxon_case([0.01, 0.02, 0.03, 0.04, 0.05, 0.06]),
    wilcoxon_case([-0.01, 0.02, -0.03, 0.04, -0.05, 0.06, 0.07]),
    wilcoxon_case([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]),
    wilcoxon_case(rng.normal(0.01, 0.03, 12)),
    wilcoxon_case(rng.normal(0.0, 1.0, 50)),
    # approximation, as scipy's default: zeros present (dropped), with and without ties among the rest
    wilcoxon_case([0.0, 0.03, -0.01, 0.05, 0.02, 0.04, 0.06]),
    wilcoxon_case([0.0, 0.0, 0.02, 0.02, -0.01, 0.05, 0.03, 0.03]),
    # approximation, as scipy's default: n > 50
    wilcoxon_case(rng.normal(0.1, 1.0, 60)),
    # ties without zeros: scipy's method="approx" (its default would truncate R+ in the exact distribution)
    wilcoxon_case([0.02, 0.02, -0.01, 0.05, 0.03, 0.03, 0.04], method="approx"),
    wilcoxon_case([0.25, -0.25, 0.5, 0.5, 0.5, 0.75], method="approx"),
]

json.dump({
    "generator": f"scipy {scipy.__version__}, numpy {np.__version__}",
    "log_gamma": log_gamma,
    "regularized_incomplete_beta": beta,
    "regularized_gamma_q": gamma_q,
    "normal": normal,
    "t_tail": t_tail,
    "t_quantile": t_quantile,
    "samples": samples,
    "paired_t": paired,
    "wilcoxon": wilcoxon,
}, sys.stdout, indent=1)
sys.stdout.write("\n")
