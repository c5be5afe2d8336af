using System.CommandLine;
using Reproduce.Learning.Models;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce probe-kernels</c> (hidden): the child process of <see cref="ConvolutionCrashGuard"/>, one forward and
/// backward pass of a trunk; exit code 0 when it survives. Its parent reads a signal as a fault of oneDNN on this host.
/// </summary>
internal static class ProbeKernelsCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "resnet18 or resnet50", Required = true };
        var sizes = new Option<int[]>("--size") { Description = "image sizes in pixels (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = false };
        var batch = new Option<int>("--batch") { Description = "images per pass", Required = true };
        var threads = new Option<int>("--threads") { Description = "intra-op threads", Required = true };
        var channelsLast = new Option<bool>("--channels-last") { Description = "NHWC activations (pretrain.memory_format: channels_last)" };
        var command = new Command(ConvolutionCrashGuard.ProbeVerb, "one forward and backward pass of a trunk on the CPU (internal)") { Hidden = true };
        foreach (var option in new Option[] { arch, sizes, batch, threads, channelsLast })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            ConvolutionCrashGuard.Probe(new TrunkWorkload(result.GetValue(arch)!, result.GetValue(sizes)!, result.GetValue(batch), result.GetValue(channelsLast)), result.GetValue(threads));
            return 0;
        });
        return command;
    }
}
