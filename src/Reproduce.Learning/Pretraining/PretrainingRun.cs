using System.Diagnostics;
using Reproduce.Core.Stages;
using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// The pre-training loop: one <see cref="PretrainingStep"/> per step of the plan, on batches augmented
/// in the background. Every <c>checkpointEvery</c> steps, and when stopped between two steps, the
/// loss curve and then a checkpoint are written into the run's directory; a run that finds a
/// checkpoint there resumes from it, and on CPU ends bitwise where an uninterrupted run ends. The model's
/// per-step draws come from <paramref name="random"/>'s step stream, whose state the checkpoint keeps. Each step's
/// loss, learning rate and images per second also go to the run's <see cref="TensorBoardLog"/> as they are computed.
/// <paramref name="viewWorkers"/> threads prepare the batches; their number changes no result.
/// </summary>
public sealed class PretrainingRun(IPretrainingModel model, TrainingRecipe recipe, PretrainImages images, EpochPlan plan, ViewBatcher views, long seed, Device device, CellRandom random, int viewWorkers = 1)
{
    /// <summary>
    /// Trains to the plan's last step; returns the whole loss curve and the steady-state throughput. Each checkpoint
    /// carries <paramref name="cellMetadata"/> (the cell's <see cref="Checkpoints.CellCheckpointMetadata"/>) in its header; every step is logged
    /// to <paramref name="log"/> for TensorBoard.
    /// </summary>
    public PretrainingOutcome Run(string directory, int checkpointEvery, IReadOnlyDictionary<string, string> cellMetadata, TensorBoardLog log, ICellProgress progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(checkpointEvery);
        Directory.CreateDirectory(directory);
        var checkpoint = Path.Combine(directory, PretrainingCheckpoint.FileName);
        var curvePath = Path.Combine(directory, LossCurve.FileName);
        long start = 0;
        var curve = new List<StepRecord>();
        if (File.Exists(checkpoint))
        {
            start = PretrainingCheckpoint.Load(checkpoint, model.State, recipe.Optimizer.LoadState, random.Steps);
            curve = LossCurve.Read(curvePath, start);
            progress.Message($"resuming from the checkpoint after step {start} of {plan.TotalSteps}");
        }

        model.State.train();
        using var prefetcher = new ViewPrefetcher(images, plan, views, seed, start, workers: viewWorkers);
        var heap = new HeapBudget();
        var timer = new Stopwatch();
        var stepTimer = new Stopwatch();
        long timedSteps = 0;
        var saved = start;
        for (var step = start; step < plan.TotalSteps; step++)
        {
            Tensor[] batch;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch = prefetcher.Take(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopped between steps (Ctrl+C, or a cluster's signal before its time limit): the steps done so far are
                // kept, so the next run, or the requeued task, resumes here.
                if (step > saved)
                {
                    Checkpoint(step);
                }

                throw;
            }

            // The first step of a process pays for allocations and kernel selection: throughput counts the rest.
            if (step > start)
            {
                timer.Start();
            }

            stepTimer.Restart();
            try
            {
                curve.Add(Step(batch, step));
            }
            finally
            {
                foreach (var view in batch)
                {
                    view.Dispose();
                }
            }

            heap.AfterStep();
            stepTimer.Stop();
            if (step > start)
            {
                timer.Stop();
                timedSteps++;
            }

            // After the timers stopped: writing the events is no part of a step's throughput.
            log.Scalar(TensorBoardLog.Loss, curve[^1].Loss, step);
            log.Scalar(TensorBoardLog.LearningRate, curve[^1].LearningRate, step);
            log.Scalar(TensorBoardLog.ImagesPerSecond, plan.BatchSize / stepTimer.Elapsed.TotalSeconds, step);

            var completed = step + 1;
            if (completed % checkpointEvery == 0 && completed < plan.TotalSteps)
            {
                Checkpoint(completed);
                saved = completed;
            }

            progress.Report(completed, plan.TotalSteps, "steps");
        }

        LossCurve.Write(curvePath, curve);
        File.Delete(checkpoint);
        var imagesPerSecond = timedSteps > 0 ? timedSteps * plan.BatchSize / timer.Elapsed.TotalSeconds : double.NaN;
        return new PretrainingOutcome(curve, imagesPerSecond, start);

        void Checkpoint(long completed)
        {
            LossCurve.Write(curvePath, curve);
            using var state = new DisposableState(recipe.Optimizer.StateTensors());
            PretrainingCheckpoint.Save(checkpoint, completed, model.State, state.Tensors, random.Steps, cellMetadata);
        }
    }

    private StepRecord Step(Tensor[] batch, long step)
    {
        using var scope = NewDisposeScope();
        var progress = new TrainingProgress(step, plan.TotalSteps, plan.StepsPerEpoch);
        IReadOnlyList<Tensor> inputs = device.type == DeviceType.CPU ? batch : [.. batch.Select(v => v.to(device))];
        var (loss, learningRate) = PretrainingStep.Run(model, recipe, inputs, progress);
        if (!float.IsFinite(loss))
        {
            throw new InvalidOperationException($"the loss is {loss} at step {step} (epoch {progress.Epoch:0.00}, learning rate {learningRate:G4}): training diverged; lower learning_rate or check the data");
        }

        return new StepRecord(step, progress.Epoch, loss, learningRate);
    }

    /// <summary>Optimizer state copies, disposed once written.</summary>
    private sealed class DisposableState(IReadOnlyDictionary<string, Tensor> tensors) : IDisposable
    {
        public IReadOnlyDictionary<string, Tensor> Tensors { get; } = tensors;

        public void Dispose()
        {
            foreach (var tensor in Tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }
}

/// <summary>What a finished run reports: every step's loss, images per second after the first step, and the step it resumed from (0 for a fresh run).</summary>
public sealed record PretrainingOutcome(IReadOnlyList<StepRecord> Curve, double ImagesPerSecond, long ResumedFrom);
