using Reproduce.Core.Stages;

namespace Reproduce.Cli.Composition;

/// <summary>How to start this very build of <c>reproduce</c> again, for the child process of a cell.</summary>
internal static class ReproduceHost
{
    /// <summary>
    /// The running host when it is <c>dotnet</c> (with this build's <c>reproduce.dll</c>) or this build's own apphost;
    /// otherwise (a test host) the <c>dotnet</c> the SDK names in <c>DOTNET_HOST_PATH</c>, else the one on the PATH.
    /// </summary>
    public static ChildCommand Current()
    {
        var assembly = typeof(ReproduceHost).Assembly.Location;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(assembly))
        {
            return new ChildCommand(process, []);
        }

        var dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return new ChildCommand(dotnet, [assembly]);
    }
}
