using System.Globalization;
using Reproduce.Core.Errors;
using Reproduce.Learning.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// A resumable pre-training state in one safetensors file, replaced atomically: every tensor of the
/// model's state (networks, target networks, queues) under "model.", the optimizer's state under
/// "optimizer.", the state of the cell's step generator (masks, drop path, key shuffles draw from it) as "rng", and
/// the number of completed steps, beside the cell's own metadata (<see cref="CellCheckpointMetadata"/>). Augmentations need nothing: their seeds are functions of the step.
/// On CPU, loading it and continuing gives bitwise the run that never stopped.
/// </summary>
public static class PretrainingCheckpoint
{
    public const string FileName = "checkpoint.safetensors";

    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string RandomState = "rng";
    private const string StepKey = "completed_steps";

    public static void Save(string path, long completedSteps, nn.Module model, IReadOnlyDictionary<string, Tensor> optimizerState, Generator stepStream, IReadOnlyDictionary<string, string> cellMetadata)
    {
        using var scope = NewDisposeScope();
        var tensors = model.state_dict().Select(p => KeyValuePair.Create(ModelPrefix + p.Key, p.Value))
            .Concat(optimizerState.Select(p => KeyValuePair.Create(OptimizerPrefix + p.Key, p.Value)))
            .Append(KeyValuePair.Create(RandomState, stepStream.get_state()));
        var metadata = new Dictionary<string, string>(cellMetadata) { [StepKey] = completedSteps.ToString(CultureInfo.InvariantCulture) };
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>Restores the model, the optimizer (through <paramref name="loadOptimizer"/>) and the step generator; returns the completed steps.</summary>
    public static long Load(string path, nn.Module model, Action<IReadOnlyDictionary<string, Tensor>> loadOptimizer, Generator stepStream)
    {
        var (tensors, metadata) = SafeTensors.Read(path);
        try
        {
            if (!metadata.TryGetValue(StepKey, out var text) || !long.TryParse(text, CultureInfo.InvariantCulture, out var steps) || !tensors.ContainsKey(RandomState))
            {
                throw new DataFormatException(path, "not a pre-training checkpoint (no completed step count or generator state)");
            }

            var modelState = Strip(tensors, ModelPrefix);
            var (missing, unexpected) = model.load_state_dict(modelState, strict: false);
            if (missing.Count > 0 || unexpected.Count > 0)
            {
                throw new DataFormatException(path, $"the checkpoint does not fit the model: missing {string.Join(", ", missing.Take(5))}; unexpected {string.Join(", ", unexpected.Take(5))}");
            }

            loadOptimizer(Strip(tensors, OptimizerPrefix));
            stepStream.set_state(tensors[RandomState]);
            return steps;
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private static Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value);
}
