using Reproduce.Core.Planning;

namespace Reproduce.Core.Execution;

/// <summary>Computes a plan's cells that are not cached, each after its upstream cells, and reports what happened to every cell.</summary>
public interface IExecutor
{
    Task<ExecutionReport> RunAsync(Plan plan, CancellationToken cancellationToken);
}
