using Reproduce.Evaluation.Aggregation;
using static Reproduce.Evaluation.Tests.Aggregation.Results;

namespace Reproduce.Evaluation.Tests.Aggregation;

public class ClaimChecksTests
{
    /// <summary>Brain is the smallest task (120 images at fraction 1.0); AUC of each init at 1.0 and 0.1 on both tasks.</summary>
    private static List<SummaryRow> TwoTasks(double sparkBrainAt01 = 0.80, double sparkCovidAt01 = 0.85)
    {
        var rows = new List<SummaryRow>();
        foreach (var (init, brainFull, brainSmall, covidFull, covidSmall) in new[]
        {
            ("scratch", 0.80, 0.60, 0.85, 0.70),
            ("byol", 0.88, 0.75, 0.90, 0.80),
            ("spark", 0.90, sparkBrainAt01, 0.92, sparkCovidAt01),
        })
        {
            rows.Add(Row("brain", init, 1.0, "auc", brainFull, trainImages: 120));
            rows.Add(Row("brain", init, 0.1, "auc", brainSmall, trainImages: 12));
            rows.Add(Row("covid", init, 1.0, "auc", covidFull, trainImages: 425));
            rows.Add(Row("covid", init, 0.1, "auc", covidSmall, trainImages: 42));
        }

        return rows;
    }

    [Fact]
    public void ClaimAHoldsWhenSparkLeadsOnTheSmallestTaskAtTheSmallestFraction()
    {
        var check = ClaimChecks.SparkLeadsWhereDataIsScarcest(TwoTasks());

        Assert.Equal(("a", ClaimVerdict.Holds), (check.Id, check.Verdict));
        Assert.StartsWith("On brain, the task with the fewest training images,", check.Statement);
        Assert.Contains("Training images at fraction 1.0: brain 120, covid 425.", check.Evidence);
        Assert.Contains("spark 0.8000 (n = 5)", check.Evidence);
        Assert.Contains("leads the next best, byol, by 0.0500", check.Evidence);
    }

    [Fact]
    public void ClaimADoesNotHoldWhenAnotherInitMatchesSpark()
    {
        var check = ClaimChecks.SparkLeadsWhereDataIsScarcest(TwoTasks(sparkBrainAt01: 0.75));

        Assert.Equal(ClaimVerdict.DoesNotHold, check.Verdict);
        Assert.Contains("byol reaches 0.7500, SparK 0.7500", check.Evidence);
    }

    [Fact]
    public void TheClaimsSpeakOfTheStudysInitsAndIgnoreOnesFromWeightsFiles()
    {
        // An ImageNet init far ahead at the smallest fraction, and far under claim (c)'s F1 with many images.
        var rows = TwoTasks();
        rows.Add(Row("brain", "imagenet", 1.0, "auc", 0.99, trainImages: 120));
        rows.Add(Row("brain", "imagenet", 0.1, "auc", 0.99, trainImages: 12));
        var f1 = F1Settings().Append(Row("covid", "imagenet", 1.0, "f1", 0.10, minClassImages: 180)).ToList();

        Assert.Equal(ClaimVerdict.Holds, ClaimChecks.SparkLeadsWhereDataIsScarcest(rows).Verdict);
        Assert.Equal(ClaimVerdict.Holds, ClaimChecks.SixtyImagesPerClassSuffice(f1).Verdict);
        Assert.False(StudyInits.IsStudyInit("imagenet"));
        Assert.All(new[] { "scratch", "byol", "mocov2", "swav", "spark" }, i => Assert.True(StudyInits.IsStudyInit(i)));
    }

    [Fact]
    public void ClaimAIsNotEvaluableWithoutSparkOrWithoutFractionOne()
    {
        var withoutSpark = TwoTasks().Where(r => r.Init != "spark").ToList();
        var undefinedSpark = TwoTasks().Select(r => r is { Task: "brain", Init: "spark", Fraction: 0.1 } ? r with { N = 0, Mean = double.NaN } : r).ToList();
        var noFullSet = TwoTasks().Where(r => r.Fraction != 1.0).ToList();

        Assert.Equal(ClaimVerdict.NotEvaluable, ClaimChecks.SparkLeadsWhereDataIsScarcest(withoutSpark).Verdict);
        Assert.Equal(ClaimVerdict.NotEvaluable, ClaimChecks.SparkLeadsWhereDataIsScarcest(undefinedSpark).Verdict);
        var check = ClaimChecks.SparkLeadsWhereDataIsScarcest(noFullSet);
        Assert.Equal(ClaimVerdict.NotEvaluable, check.Verdict);
        Assert.Contains("No task has results at fraction 1.0", check.Evidence);
    }

    [Fact]
    public void ClaimBHoldsWhenSparkDropsLessThanEachContrastiveMethodOnEveryTask()
    {
        var check = ClaimChecks.SparkDropsLeast(TwoTasks());

        Assert.Equal(("b", ClaimVerdict.Holds), (check.Id, check.Verdict));
        Assert.Contains("brain (1.0 → 0.1): spark 0.1000, byol 0.1300", check.Evidence);
    }

    [Fact]
    public void ClaimBDoesNotHoldWhenOneTaskBreaksIt()
    {
        // covid: spark drops 0.92 − 0.80 = 0.12, byol 0.10.
        var check = ClaimChecks.SparkDropsLeast(TwoTasks(sparkCovidAt01: 0.80));

        Assert.Equal(ClaimVerdict.DoesNotHold, check.Verdict);
        Assert.Contains("on covid SparK drops 0.1200, byol 0.1000", check.Evidence);
    }

    [Fact]
    public void ClaimBIsNotEvaluableWithASingleFractionOrNoContrastiveMethod()
    {
        var singleFraction = TwoTasks().Where(r => r.Fraction == 1.0).ToList();
        var noContrastive = TwoTasks().Where(r => r.Init != "byol").ToList();
        var undefinedDrop = TwoTasks().Select(r => r is { Task: "covid", Init: "byol", Fraction: 0.1 } ? r with { N = 0, Mean = double.NaN } : r).ToList();

        Assert.Equal(ClaimVerdict.NotEvaluable, ClaimChecks.SparkDropsLeast(singleFraction).Verdict);
        Assert.Equal(ClaimVerdict.NotEvaluable, ClaimChecks.SparkDropsLeast(noContrastive).Verdict);
        var check = ClaimChecks.SparkDropsLeast(undefinedDrop);
        Assert.Equal(ClaimVerdict.NotEvaluable, check.Verdict);
        Assert.Contains("on covid the drop of byol is not defined", check.Evidence);
    }

    private static List<SummaryRow> F1Settings(double largeByol = 0.75, double smallSpark = 0.65) =>
    [
        Row("covid", "byol", 1.0, "f1", largeByol, minClassImages: 180),
        Row("covid", "spark", 1.0, "f1", 0.80, minClassImages: 180),
        Row("brain", "byol", 0.25, "f1", 0.71, minClassImages: 15),
        Row("brain", "spark", 0.25, "f1", smallSpark, minClassImages: 15),
        // Scratch is not pre-trained: its low F1 with many images does not count.
        Row("covid", "scratch", 1.0, "f1", 0.55, minClassImages: 180),
    ];

    [Fact]
    public void ClaimCHoldsWhenEveryLargeSettingReachesTheThreshold()
    {
        var check = ClaimChecks.SixtyImagesPerClassSuffice(F1Settings());

        Assert.Equal(("c", ClaimVerdict.Holds), (check.Id, check.Verdict));
        Assert.Contains("2 pre-trained setting(s) with at least 60 images per class and 2 below", check.Evidence);
        Assert.Contains("covid/byol/1.0 0.7500 (180 per class)", check.Evidence);
        Assert.Contains("brain/spark/0.25 0.6500 (15 per class)", check.Evidence);
    }

    [Fact]
    public void ClaimCDoesNotHoldWhenALargeSettingFallsUnderTheThreshold()
    {
        var check = ClaimChecks.SixtyImagesPerClassSuffice(F1Settings(largeByol: 0.69));

        Assert.Equal(ClaimVerdict.DoesNotHold, check.Verdict);
        Assert.Contains("Under 0.7 with at least 60 per class: covid/byol/1.0 0.6900 (180 per class)", check.Evidence);
    }

    [Fact]
    public void ClaimCIsNotEvaluableWithoutSettingsOnBothSidesOrWithAnUndefinedLargeSetting()
    {
        var onlyLarge = F1Settings().Where(r => r.MinClassImages >= 60).ToList();
        var undefinedLarge = F1Settings().Select(r => r is { Init: "byol", Task: "covid" } ? r with { N = 0, Mean = double.NaN } : r).ToList();

        Assert.Equal(ClaimVerdict.NotEvaluable, ClaimChecks.SixtyImagesPerClassSuffice(onlyLarge).Verdict);
        Assert.Equal(ClaimVerdict.NotEvaluable, ClaimChecks.SixtyImagesPerClassSuffice(undefinedLarge).Verdict);
        Assert.Equal(ClaimVerdict.NotEvaluable, ClaimChecks.SixtyImagesPerClassSuffice([]).Verdict);
    }

    [Fact]
    public void AllThreeClaimsAreCheckedInOrder()
    {
        Assert.Equal(["a", "b", "c"], ClaimChecks.Evaluate(TwoTasks()).Select(c => c.Id));
    }
}
