namespace Reproduce.Core.Planning;

/// <summary>
/// The names of a pretrain cell's parameters: <see cref="ExperimentGraph"/> writes them into the cell's key and the
/// pretrain stage reads them back, so both spell each name through one constant.
/// </summary>
public static class PretrainParameterNames
{
    public const string Method = "method";
    public const string Dataset = "dataset";
    public const string Arch = "arch";
    public const string ImageSize = "image_size";
    public const string Seed = "seed";
    public const string Hyper = "hyper";

    /// <summary>Present (true) only when the manifest computes views on the training device.</summary>
    public const string ViewsOnDevice = "views_on_device";

    /// <summary>Present only when the manifest lays the trunk's activations out channels-last.</summary>
    public const string MemoryFormat = "memory_format";
}
