using Reproduce.Core.Errors;
using Reproduce.Core.Execution;

namespace Reproduce.Core.Tests.Execution;

/// <summary>When a training process is started again on jemalloc, and with what.</summary>
public class NativeAllocatorTests
{
    private const string Debian = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
    private const string Fedora = "/usr/lib64/libjemalloc.so.2";

    [Fact]
    public void AnInstalledJemallocIsPreloadedWithTheTunedSettings()
    {
        var added = NativeAllocator.PreloadFor(Variables(), path => path == Debian);

        Assert.NotNull(added);
        Assert.Equal(Debian, added["LD_PRELOAD"]);
        Assert.Equal(NativeAllocator.TunedSettings, added["MALLOC_CONF"]);
        Assert.Contains("dirty_decay_ms:-1", NativeAllocator.TunedSettings, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFirstCandidateThatExistsIsTaken()
    {
        var added = NativeAllocator.PreloadFor(Variables(), path => path is Fedora or "/usr/local/lib/libjemalloc.so.2");

        Assert.Equal(Fedora, added!["LD_PRELOAD"]);
    }

    [Fact]
    public void WhatTheUserPreloadsAndTheirSettingsAreKept()
    {
        var added = NativeAllocator.PreloadFor(Variables(("LD_PRELOAD", "/opt/libtrace.so"), ("MALLOC_CONF", "narenas:2")), path => path == Debian);

        Assert.Equal($"{Debian}:/opt/libtrace.so", added!["LD_PRELOAD"]);
        Assert.False(added.ContainsKey("MALLOC_CONF"));
    }

    [Theory]
    [InlineData("glibc")]
    [InlineData("GLIBC")]
    public void GlibcChosenChangesNothing(string choice) =>
        Assert.Null(NativeAllocator.PreloadFor(Variables((NativeAllocator.Choice, choice)), path => path == Debian));

    [Fact]
    public void AProcessAlreadyOnJemallocIsNotStartedAgain() =>
        Assert.Null(NativeAllocator.PreloadFor(Variables(("LD_PRELOAD", Debian)), path => path == Debian));

    [Fact]
    public void WithoutJemallocTheProcessStaysOnGlibc() =>
        Assert.Null(NativeAllocator.PreloadFor(Variables(), _ => false));

    [Fact]
    public void AChosenLibraryIsTakenOverTheCandidates()
    {
        var added = NativeAllocator.PreloadFor(Variables((NativeAllocator.LibraryPath, "/opt/jemalloc/lib/libjemalloc.so.2")), _ => true);

        Assert.Equal("/opt/jemalloc/lib/libjemalloc.so.2", added!["LD_PRELOAD"]);
    }

    [Fact]
    public void AChosenLibraryThatDoesNotExistIsNamed()
    {
        var error = Assert.Throws<EnvironmentException>(() =>
            NativeAllocator.PreloadFor(Variables((NativeAllocator.LibraryPath, "/nowhere/libjemalloc.so.2")), path => path == Debian));

        Assert.Contains("REPRODUCE_JEMALLOC=/nowhere/libjemalloc.so.2", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;
}
