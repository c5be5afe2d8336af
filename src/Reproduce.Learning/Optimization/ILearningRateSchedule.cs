namespace Reproduce.Learning.Optimization;

/// <summary>What a schedule's step counts: the references set the learning rate per iteration or per epoch.</summary>
public enum ScheduleUnit
{
    Iteration,
    Epoch,
}

/// <summary>A learning-rate schedule as a pure function of the step, counted from 0.</summary>
public interface ILearningRateSchedule
{
    ScheduleUnit Unit { get; }

    /// <summary>The learning rate of the update made at <paramref name="step"/> (iteration or epoch per <see cref="Unit"/>).</summary>
    double LearningRate(long step);
}
