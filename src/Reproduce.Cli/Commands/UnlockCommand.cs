using System.CommandLine;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce unlock &lt;key&gt; | --stale</c>: the escape hatch for locks. Locally a dead process
/// releases its locks by itself; a lock on a shared file system whose host died may not be.
/// </summary>
internal static class UnlockCommand
{
    public static Command Create()
    {
        var key = new Argument<string?>("key") { Description = "the key of the cell to unlock", Arity = ArgumentArity.ZeroOrOne };
        var stale = new Option<bool>("--stale") { Description = "remove every lock nobody holds or whose holder on this host is gone" };
        var cacheRoot = new Option<string?>("--cache") { Description = "the cache root (default: REPRODUCE_CACHE or cache/)" };
        var command = new Command("unlock", "remove a cell lock by key, or every stale lock; use only when no run is active");
        command.Arguments.Add(key);
        command.Options.Add(stale);
        command.Options.Add(cacheRoot);
        command.SetAction(result =>
        {
            var repositoryRoot = Roots.FindRepositoryRoot(Directory.GetCurrentDirectory());
            var root = result.GetValue(cacheRoot)
                ?? Roots.Resolve(repositoryRoot, Core.Manifests.PathsSpec.None, Environment.GetEnvironmentVariable).Cache;
            var cache = new CacheStore(root);
            var wanted = result.GetValue(key);
            if (result.GetValue(stale) == (wanted is not null))
            {
                throw new UsageException("give either a key or --stale");
            }

            if (wanted is not null)
            {
                Console.WriteLine(cache.Unlock(wanted) ? $"unlocked {wanted}" : $"no lock for {wanted}");
                return 0;
            }

            var removed = cache.UnlockStale();
            foreach (var state in removed)
            {
                Console.WriteLine($"removed {state.Key}{(state.Held ? $" (held by {state.Owner}, which is gone)" : "")}");
            }

            Console.WriteLine($"{removed.Count} stale lock(s) removed");
            return 0;
        });
        return command;
    }
}
