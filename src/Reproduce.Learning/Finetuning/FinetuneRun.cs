using System.Diagnostics;
using Reproduce.Core.Randomness;
using Reproduce.Core.Stages;
using Reproduce.Evaluation.Metrics;
using Reproduce.Learning.Optimization;
using Reproduce.Learning.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Finetuning;

/// <summary>One epoch of the training curve: the learning rate, whether the trunk was frozen, and the losses and validation accuracy.</summary>
public sealed record EpochRecord(int Epoch, double LearningRate, bool BackboneFrozen, double TrainLoss, double ValidationLoss, double ValidationAccuracy);

/// <summary>A finished fine-tuning: the curve, the selected epoch and the selected model's class probabilities on the test set.</summary>
public sealed record FinetuneOutcome(IReadOnlyList<EpochRecord> Curve, int BestEpoch, double BestValidationAccuracy, IReadOnlyList<double[]> TestProbabilities);

/// <summary>
/// The fine-tuning protocol (PROTOCOL.md §6): cross-entropy without class weights, the optimizer over every
/// parameter at a constant learning rate (or the authors' drop), the trunk frozen for the first epochs with its
/// BN affine parameters trainable, and the model of the epoch with the highest validation accuracy (the first
/// such epoch on ties, as Lightning's ModelCheckpoint keeps it) tested once. Batches are reshuffled every epoch
/// from the cell's seed, and the last partial batch is kept (the DataLoader's default). Each epoch's training loss,
/// learning rate, training images per second and validation loss and accuracy go to the run's <see cref="TensorBoardLog"/>.
/// </summary>
public sealed class FinetuneRun(Classifier model, FinetuneSettings settings, FinetuneData data, Device device, long seed)
{
    /// <summary>Evaluation batch size: BN uses running statistics there, so it changes nothing but speed and memory.</summary>
    private const int EvaluationBatch = 64;

    private readonly HeapBudget heap = new();

    public FinetuneOutcome Run(TensorBoardLog log, ICellProgress progress, CancellationToken cancellationToken)
    {
        using var optimizer = CreateOptimizer();
        using var input = new FinetuneInput(settings.Task, settings.Training.InputSize);
        var curve = new List<EpochRecord>();
        Dictionary<string, Tensor>? best = null;
        var (bestEpoch, bestAccuracy) = (-1, double.NegativeInfinity);
        var timer = new Stopwatch();
        try
        {
            for (var epoch = 0; epoch < settings.Training.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var frozen = settings.BackboneFrozenAt(epoch);
                var learningRate = settings.LearningRateAt(epoch);
                model.FreezeTrunk(frozen, settings.Training.TrainBatchNormWhileFrozen);
                optimizer.SetLearningRate(learningRate);
                timer.Restart();
                var trainLoss = TrainEpoch(optimizer, input, epoch);
                timer.Stop();
                var (validationLoss, validationAccuracy, _) = Evaluate(data.Validation, input);
                log.Scalar(TensorBoardLog.Loss, trainLoss, epoch);
                log.Scalar(TensorBoardLog.LearningRate, learningRate, epoch);
                log.Scalar(TensorBoardLog.ImagesPerSecond, data.Train.Count / timer.Elapsed.TotalSeconds, epoch);
                log.Scalar(TensorBoardLog.ValidationLoss, validationLoss, epoch);
                log.Scalar(TensorBoardLog.ValidationAccuracy, validationAccuracy, epoch);
                curve.Add(new EpochRecord(epoch, learningRate, frozen, trainLoss, validationLoss, validationAccuracy));
                if (validationAccuracy > bestAccuracy)
                {
                    DisposeAll(best);
                    best = Snapshot();
                    (bestEpoch, bestAccuracy) = (epoch, validationAccuracy);
                }

                progress.Report(epoch + 1, settings.Training.Epochs, "epochs");
            }

            model.load_state_dict(best!);
            var (_, _, probabilities) = Evaluate(data.Test, input);
            return new FinetuneOutcome(curve, bestEpoch, bestAccuracy, probabilities);
        }
        finally
        {
            DisposeAll(best);
        }
    }

    private Optimizer CreateOptimizer()
    {
        var groups = new[] { new ParameterGroup(model.parameters(), settings.Training.LearningRate, settings.Training.WeightDecay) };
        return settings.Training.Optimizer switch
        {
            "adam" => new Adam(groups),
            "adamw" => new AdamW(groups),
            "sgd" => new Sgd(groups, momentum: 0.9),
            _ => throw new ArgumentException($"unknown fine-tuning optimizer '{settings.Training.Optimizer}'"),
        };
    }

    private double TrainEpoch(Optimizer optimizer, FinetuneInput input, int epoch)
    {
        model.train();
        var set = data.Train;
        var order = Enumerable.Range(0, set.Count).Select(i => (long)i).ToArray();
        var shuffle = SplitMix64.For(seed, $"batches/epoch={epoch}");
        shuffle.Shuffle(order);
        var flips = SplitMix64.For(seed, $"flips/epoch={epoch}");
        var (total, seen) = (0.0, 0);
        for (var start = 0; start < order.Length; start += settings.Training.BatchSize)
        {
            var batch = order[start..Math.Min(order.Length, start + settings.Training.BatchSize)];
            using (NewDisposeScope())
            {
                var index = tensor(batch);
                var images = input.Prepare(set.Images.index_select(0, index), flips, device);
                var labels = tensor(batch.Select(i => (long)set.Labels[(int)i]).ToArray(), device: device);
                optimizer.ZeroGrad();
                var loss = functional.cross_entropy(model.forward(images), labels);
                loss.backward();
                optimizer.Step();
                total += loss.item<float>() * batch.Length;
                seen += batch.Length;
            }

            heap.AfterStep();
        }

        return total / seen;
    }

    /// <summary>Mean loss, accuracy (argmax, first class on ties) and softmax probabilities over a set, in eval mode.</summary>
    private (double Loss, double Accuracy, IReadOnlyList<double[]> Probabilities) Evaluate(FinetuneSet set, FinetuneInput input)
    {
        model.eval();
        using var noGrad = no_grad();
        var probabilities = new List<double[]>(set.Count);
        var (loss, correct) = (0.0, 0);
        for (var start = 0; start < set.Count; start += EvaluationBatch, heap.AfterStep())
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(EvaluationBatch, set.Count - start);
            var images = input.Prepare(set.Images.narrow(0, start, count), flips: null, device);
            var labels = set.Labels.Skip(start).Take(count).Select(l => (long)l).ToArray();
            var logits = model.forward(images).to_type(ScalarType.Float64).cpu();
            loss += functional.cross_entropy(logits, tensor(labels), reduction: Reduction.Sum).item<double>();
            var rows = functional.softmax(logits, 1);
            var classes = (int)rows.shape[1];
            var values = rows.data<double>().ToArray();
            for (var i = 0; i < count; i++)
            {
                var row = values.AsSpan(i * classes, classes).ToArray();
                probabilities.Add(row);
                correct += ClassificationMetrics.Argmax(row) == labels[i] ? 1 : 0;
            }
        }

        return (loss / set.Count, (double)correct / set.Count, probabilities);
    }

    private Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();   // takes the detached views; the clones leave it
        return model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        foreach (var tensor in tensors?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }
    }
}
