using System.Reflection;

namespace Reproduce.Cli.Tests;

/// <summary>The layering of DESIGN.md §2 and the "no static mutable state" rule of §6, checked on the built assemblies.</summary>
public class ArchitectureTests
{
    private static readonly Assembly[] Product =
    [
        typeof(Core.Manifests.Manifest).Assembly,
        typeof(Learning.TorchRuntime).Assembly,
        typeof(Program).Assembly,
    ];

    private static IEnumerable<string> References(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!);

    [Theory]
    [InlineData("Reproduce.Core")]
    [InlineData("Reproduce.Data")]
    [InlineData("Reproduce.Evaluation")]
    public void OnlyLearningAndTheCliSeeTorchSharp(string assembly)
    {
        Assert.DoesNotContain("TorchSharp", References(assembly));
    }

    [Fact]
    public void DependenciesPointOneWay()
    {
        Assert.DoesNotContain(References("Reproduce.Core"), r => r.StartsWith("Reproduce.", StringComparison.Ordinal));
        Assert.DoesNotContain(References("Reproduce.Data"), r => r is "Reproduce.Learning" or "Reproduce.Evaluation" or "reproduce");
        Assert.DoesNotContain(References("Reproduce.Evaluation"), r => r is "Reproduce.Learning" or "Reproduce.Data" or "reproduce");
        Assert.DoesNotContain("reproduce", References("Reproduce.Learning"));
    }

    [Fact]
    public void NoLibraryHoldsStaticMutableState()
    {
        var assemblies = Product.Concat(new[] { "Reproduce.Data", "Reproduce.Evaluation" }.Select(Assembly.Load)).Distinct();
        var mutable = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !f.IsInitOnly && !f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .Where(f => !f.Name.Contains('<', StringComparison.Ordinal))
            .Select(f => $"{f.DeclaringType}.{f.Name}")
            .ToList();

        Assert.Empty(mutable);
    }
}
