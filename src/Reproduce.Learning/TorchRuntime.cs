namespace Reproduce.Learning;

/// <summary>Facts about the TorchSharp build this suite runs on, known without loading native code.</summary>
public static class TorchRuntime
{
    /// <summary>The managed TorchSharp version, major.minor (e.g. "0.107"): the key's environment tier.</summary>
    public static string ManagedVersion
    {
        get
        {
            var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
            return $"{version.Major}.{version.Minor}";
        }
    }

    /// <summary>The managed TorchSharp version in full (e.g. "0.107.0"), which a checkpoint records beside its key.</summary>
    public static string FullVersion => typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3);
}
