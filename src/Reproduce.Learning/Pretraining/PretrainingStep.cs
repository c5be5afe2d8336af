using Reproduce.Learning.Methods;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// One training step in the order every method follows (METHODS.md §6): the schedule sets the
/// optimizer's hyper-parameters, then zero_grad → loss → backward → the method's after-backward hook →
/// optimizer step → after-step hook. Shared by the pre-training loop and <c>bench pretrain</c>, so the
/// benchmark times exactly the step that trains.
/// </summary>
public static class PretrainingStep
{
    /// <summary>Runs the step on <paramref name="views"/> (on the model's device); returns its loss and learning rate.</summary>
    public static (float Loss, double LearningRate) Run(IPretrainingModel model, TrainingRecipe recipe, IReadOnlyList<Tensor> views, TrainingProgress progress)
    {
        using var scope = NewDisposeScope();
        var learningRate = recipe.Apply(progress);
        recipe.Optimizer.ZeroGrad();
        var loss = model.Loss(views, progress);
        loss.backward();
        model.AfterBackward(progress);
        recipe.Optimizer.Step();
        model.AfterStep(progress);
        return (loss.item<float>(), learningRate);
    }
}
