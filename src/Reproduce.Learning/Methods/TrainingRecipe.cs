using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Learning.Optimization;

namespace Reproduce.Learning.Methods;

/// <summary>
/// How a method trains: its optimizer over <see cref="IPretrainingModel.Trainable"/> and the schedule
/// that sets the optimizer's hyper-parameters before each step. Built by each method from its
/// hyper-parameters and the run's length.
/// </summary>
public sealed class TrainingRecipe(Optimizer optimizer, Func<TrainingProgress, double> applySchedule) : IDisposable
{
    public Optimizer Optimizer { get; } = optimizer;

    /// <summary>Sets this step's learning rate (and scheduled weight decay); returns the learning rate, for the loss curve.</summary>
    public double Apply(TrainingProgress progress) => applySchedule(progress);

    /// <summary>A recipe whose only schedule is a learning rate shared by every group, per iteration or per epoch as the schedule says.</summary>
    public static TrainingRecipe Following(Optimizer optimizer, ILearningRateSchedule schedule) => new(optimizer, progress =>
    {
        var learningRate = schedule.LearningRate(schedule.Unit == ScheduleUnit.Epoch ? progress.Step / progress.StepsPerEpoch : progress.Step);
        optimizer.SetLearningRate(learningRate);
        return learningRate;
    });

    /// <summary>
    /// The steps of <paramref name="parameter"/> (a length in epochs) for a run of <paramref name="stepsPerEpoch"/>
    /// steps per epoch, checked to leave the run at least two steps after it: schedules need a cosine to run.
    /// </summary>
    public static long WarmupSteps(MethodSpec spec, string parameter, long stepsPerEpoch, long totalSteps)
    {
        var steps = (long)Math.Round(spec.Real(parameter) * stepsPerEpoch, MidpointRounding.ToEven);
        return steps + 1 < totalSteps
            ? steps
            : throw new UsageException($"{spec.Id}: {parameter} = {spec.Real(parameter)} is {steps} step(s), which leaves nothing of the run's {totalSteps} steps to decay over; lower it or train longer");
    }

    public void Dispose() => Optimizer.Dispose();
}
