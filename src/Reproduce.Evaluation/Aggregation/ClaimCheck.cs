namespace Reproduce.Evaluation.Aggregation;

public enum ClaimVerdict
{
    Holds,
    DoesNotHold,
    NotEvaluable,
}

/// <summary>
/// One automatic check of a claim of the study (issue 4/5 "Render"): its id (<c>a</c>, <c>b</c>, <c>c</c>), the claim
/// in words, the verdict, and the numbers behind it in one readable paragraph.
/// </summary>
public sealed record ClaimCheck(string Id, string Statement, ClaimVerdict Verdict, string Evidence);
