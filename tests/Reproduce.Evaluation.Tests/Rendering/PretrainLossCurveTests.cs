using Reproduce.Core.Errors;
using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Rendering;

public sealed class PretrainLossCurveTests
{
    [Fact]
    public void EachEpochIsTheMeanLossOfItsSteps()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("loss.csv");
        File.WriteAllText(path, "step,epoch,loss,learning_rate\n0,0,4,0.1\n1,0.5,2,0.1\n2,1,1.5,0.05\n3,1.5,0.5,0.05\n4,2,0.25,0.01\n");

        var curve = PretrainLossCurve.Read("byol", path);

        Assert.Equal("byol", curve.Method);
        Assert.Equal([3.0, 1.0, 0.25], curve.EpochLosses);
    }

    [Theory]
    [InlineData("step,loss\n0,1\n", "line 1")]
    [InlineData("step,epoch,loss,learning_rate\n0,0,x,0.1\n", "line 2")]
    [InlineData("step,epoch,loss,learning_rate\n0,-1,1,0.1\n", "line 2")]
    [InlineData("step,epoch,loss,learning_rate\n", "no step")]
    public void ADamagedFileFailsNamingTheFileAndLine(string text, string where)
    {
        using var folder = new TempFolder();
        var path = folder.Combine("loss.csv");
        File.WriteAllText(path, text);

        var error = Assert.Throws<DataFormatException>(() => PretrainLossCurve.Read("byol", path));

        Assert.Contains("loss.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains(where, error.Message, StringComparison.Ordinal);
    }
}
