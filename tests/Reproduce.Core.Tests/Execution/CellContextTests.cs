using Reproduce.Core.Keys;
using Reproduce.Core.Stages;
using Reproduce.Core.TestHost;

namespace Reproduce.Core.Tests.Execution;

public class CellContextTests
{
    private static CellContext ContextWithKey(string key) => new()
    {
        Spec = new CellSpec(key, TestGraphs.Fan(1).Cells[0].Address, new KeyComponents(1, "leaf", 1, "{}", "{}", "{}", new Dictionary<string, string>()), []),
        WorkDirectory = "/unused",
        Resuming = false,
        Upstream = [],
        Roots = new Roots("/d", "/c", "/r"),
        Settings = new RunSettings(),
        Progress = new SilentObserver(),
        Clock = TimeProvider.System,
    };

    [Fact]
    public void SeedsDependOnlyOnTheKeyAndTheStreamName()
    {
        var a = ContextWithKey("aa");

        Assert.Equal(a.Seed("shuffle"), ContextWithKey("aa").Seed("shuffle"));
        Assert.NotEqual(a.Seed("shuffle"), a.Seed("init"));
        Assert.NotEqual(a.Seed("shuffle"), ContextWithKey("ab").Seed("shuffle"));
        Assert.True(a.Seed("shuffle") >= 0);
    }
}
