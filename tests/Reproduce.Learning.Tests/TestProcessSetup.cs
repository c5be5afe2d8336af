using System.Runtime.CompilerServices;
using Reproduce.Learning.Runtime;

namespace Reproduce.Learning.Tests;

internal static class TestProcessSetup
{
    /// <summary>
    /// Tests build and run models without <see cref="ComputeDevice.Prepare"/>, so the oneDNN cap that it chooses
    /// for a cell is chosen here, before any test's first convolution.
    /// </summary>
#pragma warning disable CA2255 // a test assembly's process-wide setup, not a library's
    [ModuleInitializer]
    internal static void ChooseCpuKernels() => CpuKernels.ChooseInstructionSet();
#pragma warning restore CA2255
}
