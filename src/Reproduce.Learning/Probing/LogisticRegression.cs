using static TorchSharp.torch;

namespace Reproduce.Learning.Probing;

/// <summary>
/// Multinomial logistic regression, the linear probe's head: the mean cross-entropy of softmax(X·Wᵀ + b) plus
/// (λ/2)·‖W‖² (the bias unpenalised, as in scikit-learn), minimised in float64 on the CPU by L-BFGS (the two-loop
/// recursion over the last <see cref="History"/> steps, a backtracking Armijo line search). For λ &gt; 0 the problem
/// is strictly convex, so the one optimum is reached whatever the start, and the same features give the same head.
/// </summary>
public sealed class LogisticRegression : IDisposable
{
    public const int History = 10;

    public const int MaxIterations = 1000;

    /// <summary>Converged when no gradient component exceeds this.</summary>
    public const double GradientTolerance = 1e-7;

    private LogisticRegression(Tensor weight, Tensor bias, int iterations, double loss)
    {
        Weight = weight;
        Bias = bias;
        Iterations = iterations;
        Loss = loss;
    }

    /// <summary>(K, D) float64.</summary>
    public Tensor Weight { get; }

    /// <summary>(K) float64.</summary>
    public Tensor Bias { get; }

    public int Iterations { get; }

    /// <summary>The objective at the solution.</summary>
    public double Loss { get; }

    /// <summary>Fits the head to (N, D) <paramref name="features"/> and their (N) int64 <paramref name="labels"/> in [0, <paramref name="classes"/>).</summary>
    public static LogisticRegression Fit(Tensor features, Tensor labels, int classes, double penalty)
    {
        if (penalty <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "the penalty must be positive: without it separable features have no optimum");
        }

        // Tensors that live across iterations are detached from the scopes and disposed when replaced; everything else
        // an iteration makes goes with its scope, so memory stays flat however many iterations the solver takes.
        using var scope = NewDisposeScope();
        var x = features.to_type(ScalarType.Float64);
        var targets = nn.functional.one_hot(labels.to_type(ScalarType.Int64), classes).to_type(ScalarType.Float64);
        var n = x.shape[0];
        var d = x.shape[1];
        var split = classes * d;

        (double Value, Tensor Gradient) Objective(Tensor point)
        {
            using var evaluation = NewDisposeScope();
            var w = point[..(int)split].view(classes, d);
            var b = point[(int)split..];
            var logProbabilities = x.mm(w.t()).add(b).log_softmax(1);
            var value = -logProbabilities.mul(targets).sum().item<double>() / n + 0.5 * penalty * w.square().sum().item<double>();
            var residual = logProbabilities.exp().sub(targets).div(n);
            var gradient = cat([residual.t().mm(x).add(w.mul(penalty)).flatten(), residual.sum(0, keepdim: false)]);
            return (value, gradient.DetachFromDisposeScope());
        }

        var theta = zeros(split + classes, dtype: ScalarType.Float64).DetachFromDisposeScope();
        var (loss, grad) = Objective(theta);
        var steps = new List<(Tensor S, Tensor Y, double Rho)>();
        var iteration = 0;
        try
        {
            for (; iteration < MaxIterations && grad.abs().max().item<double>() > GradientTolerance; iteration++)
            {
                using var step = NewDisposeScope();
                var direction = Direction(grad, steps);
                var slope = grad.dot(direction).item<double>();
                if (slope >= 0)
                {
                    // Rounding made the quasi-Newton direction useless: restart from steepest descent.
                    DisposeSteps(steps);
                    direction = grad.neg();
                    slope = -grad.dot(grad).item<double>();
                }

                // The first step has no curvature to scale it yet: make it a unit move.
                var length = steps.Count == 0 ? Math.Min(1.0, 1.0 / Math.Sqrt(-slope)) : 1.0;
                var (next, nextLoss, nextGrad) = LineSearch(theta, loss, direction, slope, length, Objective);
                if (next is null)
                {
                    break;
                }

                var s = next.sub(theta).DetachFromDisposeScope();
                var y = nextGrad!.sub(grad).DetachFromDisposeScope();
                var sy = s.dot(y).item<double>();
                if (sy > 1e-12)
                {
                    steps.Add((s, y, 1 / sy));
                    if (steps.Count > History)
                    {
                        steps[0].S.Dispose();
                        steps[0].Y.Dispose();
                        steps.RemoveAt(0);
                    }
                }
                else
                {
                    s.Dispose();
                    y.Dispose();
                }

                var progress = loss - nextLoss;
                theta.Dispose();
                grad.Dispose();
                (theta, loss, grad) = (next, nextLoss, nextGrad);
                if (progress <= 1e-15 * Math.Max(1, Math.Abs(loss)))
                {
                    iteration++;
                    break;
                }
            }

            var weight = theta[..(int)split].view(classes, d).clone().DetachFromDisposeScope();
            var bias = theta[(int)split..].clone().DetachFromDisposeScope();
            return new LogisticRegression(weight, bias, iteration, loss);
        }
        finally
        {
            theta.Dispose();
            grad.Dispose();
            DisposeSteps(steps);
        }
    }

    /// <summary>
    /// Halves the step from <paramref name="length"/> until the objective falls by at least 1e-4 of the slope's promise
    /// (Armijo); the new point and its gradient are detached from the scopes, or null when 60 halvings did not do it.
    /// </summary>
    private static (Tensor? Point, double Loss, Tensor? Gradient) LineSearch(
        Tensor theta, double loss, Tensor direction, double slope, double length, Func<Tensor, (double Value, Tensor Gradient)> objective)
    {
        for (var halvings = 0; halvings <= 60; halvings++, length *= 0.5)
        {
            var point = theta.add(direction.mul(length)).DetachFromDisposeScope();
            var (value, gradient) = objective(point);
            if (value <= loss + 1e-4 * length * slope)
            {
                return (point, value, gradient);
            }

            point.Dispose();
            gradient.Dispose();
        }

        return (null, loss, null);
    }

    private static void DisposeSteps(List<(Tensor S, Tensor Y, double Rho)> steps)
    {
        foreach (var (s, y, _) in steps)
        {
            s.Dispose();
            y.Dispose();
        }

        steps.Clear();
    }

    /// <summary>Class probabilities (N, K), float64, of (N, D) features.</summary>
    public Tensor Probabilities(Tensor features)
    {
        using var scope = NewDisposeScope();
        return features.to_type(ScalarType.Float64).mm(Weight.t()).add(Bias).softmax(1).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Weight.Dispose();
        Bias.Dispose();
    }

    /// <summary>−H·g by the two-loop recursion, H the L-BFGS inverse-Hessian estimate of the stored steps.</summary>
    private static Tensor Direction(Tensor gradient, List<(Tensor S, Tensor Y, double Rho)> steps)
    {
        var q = gradient.clone();
        var alphas = new double[steps.Count];
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            alphas[i] = steps[i].Rho * steps[i].S.dot(q).item<double>();
            q.sub_(steps[i].Y.mul(alphas[i]));
        }

        if (steps.Count > 0)
        {
            var (s, y, _) = steps[^1];
            q.mul_(s.dot(y).item<double>() / y.dot(y).item<double>());
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var beta = steps[i].Rho * steps[i].Y.dot(q).item<double>();
            q.add_(steps[i].S.mul(alphas[i] - beta));
        }

        return q.neg_();
    }
}
