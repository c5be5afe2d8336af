namespace Reproduce.Cli.Tests;

/// <summary>
/// <c>reproduce run --executor slurm</c> against a real one-node Slurm cluster: the cells to compute go out as job
/// arrays chained with afterok, a published cell is the proof of success, a failed task is reported with its log's
/// last lines and blocks only its downstream cells, and a rerun submits nothing already done.
/// </summary>
public sealed class SlurmExecutorTests : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);
    private static readonly string Ci = Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml");
    private readonly string temp = Directory.CreateTempSubdirectory("reproduce-slurm-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [SlurmFact]
    public void EachPreprocessingCellWaitsForItsOwnDownloadTaskAndARerunSubmitsNothing()
    {
        var first = Run("--manifest", Ci, "--only", "preprocess");

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Contains(first.OutputLines, l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal) && l.EndsWith(", 4 cell(s)", StringComparison.Ordinal));
        var download = first.OutputLines.Single(l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal)).Split(' ')[3].TrimEnd(',');
        var preprocessing = first.OutputLines.Where(l => l.Contains("-preprocess: job ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, preprocessing.Count);
        Assert.All(preprocessing, l => Assert.Matches($@", 1 cell\(s\) after {download}_[0-3]$", l));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(temp, "cache", "preprocess"), "store.json", SearchOption.AllDirectories).Length);
        var scripts = Directory.GetFiles(Path.Combine(temp, "cache", ".slurm"), "*.sh", SearchOption.AllDirectories);
        Assert.Contains(scripts, s => File.ReadAllText(s).Contains("#SBATCH --dependency=afterok:", StringComparison.Ordinal));
        Assert.Equal(8, Directory.GetFiles(Path.Combine(temp, "cache", ".slurm"), "*.out", SearchOption.AllDirectories).Length);

        var again = Run("--manifest", Ci, "--only", "preprocess");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to do", again.StandardOutput);
        Assert.DoesNotContain("submitted", again.StandardOutput);
    }

    [SlurmFact]
    public void CellsBeyondTheArraySizeGoIntoFurtherArrays()
    {
        var result = Run("--manifest", Ci, "--only", "download", "--max-array-size", "3");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains(result.OutputLines, l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal) && l.EndsWith(", 3 cell(s)", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("submitted 01-download: job ", StringComparison.Ordinal) && l.EndsWith(", 1 cell(s)", StringComparison.Ordinal));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(temp, "cache", "download"), "meta.json", SearchOption.AllDirectories).Length);
    }

    [SlurmFact]
    public void AFailedTaskFailsItsCellWithItsLogAndBlocksOnlyItsDownstreamCells()
    {
        var brain = Path.Combine(temp, "brain");
        foreach (var folder in new[] { "train/a_without", "train/b_with", "test/a_without", "test/b_with" })
        {
            Directory.CreateDirectory(Path.Combine(brain, folder));
        }

        var manifest = Path.Combine(temp, "empty-brain.yaml");
        File.WriteAllText(manifest, $"extends: {Ci}\ndatasets:\n  brain:\n    source: local\n    synthetic: ~\n    path: {brain}\n");

        var result = Run("--manifest", manifest, "--only", "preprocess");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: download[dataset=brain]: job ", result.StandardError);
        Assert.Contains(": its task ended FAILED (NonZeroExitCode) without publishing the cell", result.StandardError);
        Assert.Contains($"{brain}: dataset 'brain' has no images in the expected layout", result.StandardError);
        Assert.Contains(result.OutputLines, l => l.Contains("preprocess[dataset=brain]: skipped", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["preprocess", "0", "3", "0", "1", ..]);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(temp, "cache", "preprocess"), "store.json", SearchOption.AllDirectories).Length);
    }

    [SlurmFact]
    public void EachStageAsksForItsResourcesFromTheManifestAndTheCommandLine()
    {
        var manifest = Path.Combine(temp, "resources.yaml");
        File.WriteAllText(manifest, $$"""
            extends: {{Ci}}
            slurm:
              default: {memory: 1G, time: "10:00", sbatch: [--comment=reproduce-test]}
              download: {throttle: 2, sbatch: [--nice=10]}
            """);

        var result = Run("--manifest", manifest, "--only", "download", "--slurm", "download.time=5:00", "--slurm", "partition=debug");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var script = File.ReadAllLines(Directory.GetFiles(Path.Combine(temp, "cache", ".slurm"), "00-download.sh", SearchOption.AllDirectories).Single());
        string[] expected = ["--array=0-3%2", "--cpus-per-task=1", "--partition=debug", "--mem=1G", "--time=5:00", "--comment=reproduce-test", "--nice=10"];
        Assert.All(expected, option => Assert.Contains($"#SBATCH {option}", script));
        Assert.Contains(script, l => l.StartsWith("exec ", StringComparison.Ordinal) && l.Contains(" --threads 1 ", StringComparison.Ordinal));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(temp, "cache", "download"), "meta.json", SearchOption.AllDirectories).Length);

        var refused = Run("--manifest", manifest, "--only", "download", "--slurm", "download.gpus=many");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--slurm download.gpus=many: 'many' is not an integer in [0, 64]", refused.StandardError);
    }

    /// <summary>
    /// A detached submission returns with its job ids; status shows its cells queued; submitting again while they are
    /// in flight submits nothing; cancel cancels every task and gives the cells back; the next run computes them.
    /// </summary>
    [SlurmFact]
    public void ADetachedRunIsFollowedByStatusNeverSubmittedTwiceAndCancelledByCancel()
    {
        var manifest = Path.Combine(temp, "held.yaml");
        // Tasks that may not start for an hour stay queued for as long as this test needs.
        File.WriteAllText(manifest, $"extends: {Ci}\nslurm:\n  default: {{sbatch: [--begin=now+3600]}}\n");

        var detached = Run("--manifest", manifest, "--only", "preprocess", "--detach");

        Assert.True(detached.ExitCode == 0, detached.StandardOutput + detached.StandardError);
        Assert.Contains(detached.OutputLines, l => l.StartsWith("detached: job(s) ", StringComparison.Ordinal) && l.Contains("reproduce status --manifest", StringComparison.Ordinal));
        Assert.Equal(5, detached.OutputLines.Count(l => l.StartsWith("submitted ", StringComparison.Ordinal)));

        var status = Cli("status", "--manifest", manifest, "--only", "preprocess");
        Assert.True(status.ExitCode == 0, status.StandardOutput + status.StandardError);
        Assert.Contains(status.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["download", "0", "4", "0", "0", "0", "0", "0"]);
        Assert.Contains(status.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["preprocess", "0", "4", "0", "0", "0", "0", "0"]);

        var again = Run("--manifest", manifest, "--only", "preprocess", "--detach");
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.DoesNotContain(again.OutputLines, l => l.StartsWith("submitted ", StringComparison.Ordinal));
        Assert.Equal(8, again.OutputLines.Count(l => l.StartsWith("in flight: ", StringComparison.Ordinal)));

        var cancel = Cli("cancel", "--manifest", manifest, "--only", "preprocess");
        Assert.True(cancel.ExitCode == 0, cancel.StandardOutput + cancel.StandardError);
        Assert.Contains("cancelled 8 task(s): ", cancel.StandardOutput);
        Assert.DoesNotContain("on Slurm", Cli("status", "--manifest", manifest, "--only", "preprocess").StandardOutput);

        var resubmitted = Run("--manifest", Ci, "--only", "preprocess");
        Assert.True(resubmitted.ExitCode == 0, resubmitted.StandardOutput + resubmitted.StandardError);
        Assert.Equal(5, resubmitted.OutputLines.Count(l => l.StartsWith("submitted ", StringComparison.Ordinal)));
    }

    [SlurmFact]
    public void TwoSubmissionsAtOnceComputeEveryCellOnce()
    {
        var first = Task.Run(() => Run("--manifest", Ci, "--only", "preprocess"));
        var second = Task.Run(() => Run("--manifest", Ci, "--only", "preprocess"));
        var results = new[] { first.Result, second.Result };

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError));
        var submitted = results.SelectMany(r => r.OutputLines).Where(l => l.StartsWith("submitted ", StringComparison.Ordinal)).Sum(l => int.Parse(l.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(8, submitted);
        var starts = Directory.GetFiles(Path.Combine(temp, "cache", ".slurm"), "*.out", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Where(l => l.StartsWith("start   ", StringComparison.Ordinal))
            .ToList();
        Assert.True(starts.Count == 8 && starts.Distinct().Count() == 8, string.Join('\n', starts));
    }

    /// <summary>
    /// <c>scancel</c> of one queued fine-tuning task: its cell is reported failed with the task's state, the task's
    /// aggregate is reported skipped, every other cell completes, <c>reproduce status</c> afterwards shows the same,
    /// and the rerun submits only those two cells.
    /// </summary>
    [SlurmFact]
    public void ACancelledFinetuneTaskFailsItsCellBlocksItsAggregateAndTheRerunSubmitsOnlyThem()
    {
        // COVID-CT alone, one fraction, two epochs: six short fine-tuning cells and their aggregate.
        var manifest = Path.Combine(temp, "short.yaml");
        File.WriteAllText(manifest, $"extends: {Ci}\nfinetune:\n  epochs: 2\nevaluation:\n  fractions: [1.0]\n");
        var run = Task.Run(() => Run("--manifest", manifest, "--task", "covid"));
        string? finetune = null;
        Assert.True(Eventually(() => run.IsCompleted || (finetune = FinetuneJobs().FirstOrDefault()) is not null));
        Assert.True(finetune is not null, $"no fine-tuning job was queued: {(run.IsCompleted ? run.Result.StandardOutput + run.Result.StandardError : "")}");
        Assert.Equal(0, Slurm("scancel", $"{finetune}_0").ExitCode);

        var result = run.Result;

        Assert.True(result.ExitCode == 1, result.StandardOutput + result.StandardError);
        // A task cancelled while pending leaves squeue at once: the reason says so.
        var expected = $"error: finetune[task=covid, init=scratch, fold=0, fraction=1.0]: job {finetune}_0: its job left the queue without publishing the cell";
        Assert.True(result.StandardError.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in:\n{result.StandardError}");
        Assert.Contains(result.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["finetune", "0", "5", "1", "0", "0", ..]);
        Assert.Contains(result.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["aggregate", "0", "0", "0", "1", "0", ..]);

        // Rejoined later, status tells the same from the cache, the leases and squeue: on Slurm, stage, cached, pending,
        // running, failed, blocked, missing, submitting.
        var status = Cli("status", "--manifest", manifest, "--task", "covid");
        Assert.True(status.ExitCode == 0, status.StandardOutput + status.StandardError);
        Assert.Contains(status.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["finetune", "5", "0", "0", "1", "0", "0", "0"]);
        Assert.Contains(status.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["aggregate", "0", "0", "0", "0", "1", "0", "0"]);
        Assert.Contains(expected["error: ".Length..].Replace("finetune[", "failed  finetune[", StringComparison.Ordinal), status.StandardOutput);

        var rerun = Run("--manifest", manifest, "--task", "covid");

        Assert.True(rerun.ExitCode == 0, rerun.StandardOutput + rerun.StandardError);
        var submitted = rerun.OutputLines.Where(l => l.StartsWith("submitted ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, submitted.Count);
        Assert.Matches(@"^submitted 00-finetune: job \d+, 1 cell\(s\)$", submitted[0]);
        Assert.Matches(@"^submitted 01-aggregate: job \d+, 1 cell\(s\) after \d+$", submitted[1]);
    }

    /// <summary>
    /// A forced cell is published already when its task is submitted: it is submitted all the same, and the run waits
    /// for the task's own publication instead of taking the old one for it.
    /// </summary>
    [SlurmFact]
    public void AForcedCellIsSubmittedAndWaitedForThoughItIsPublishedAlready()
    {
        var first = Run("--manifest", Ci, "--only", "download", "--dataset", "covid");
        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        var meta = Directory.GetFiles(Path.Combine(temp, "cache", "download"), "meta.json", SearchOption.AllDirectories).Single();
        var published = File.ReadAllText(meta);

        var forced = Run("--manifest", Ci, "--only", "download", "--dataset", "covid", "--force");

        Assert.True(forced.ExitCode == 0, forced.StandardOutput + forced.StandardError);
        Assert.Contains(forced.OutputLines, l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal) && l.EndsWith(", 1 cell(s)", StringComparison.Ordinal));
        Assert.NotEqual(published, File.ReadAllText(meta));
    }

    [SlurmFact]
    public void ASubmissionSbatchRefusesGivesItsCellsBackForTheNextOne()
    {
        var manifest = Path.Combine(temp, "nowhere.yaml");
        File.WriteAllText(manifest, $"extends: {Ci}\nslurm:\n  default: {{partition: nosuchpartition}}\n");

        var refused = Run("--manifest", manifest, "--only", "download");

        Assert.True(refused.ExitCode == 3, refused.StandardOutput + refused.StandardError);
        Assert.Contains("sbatch --parsable", refused.StandardError);
        Assert.Contains("nosuchpartition", refused.StandardError);
        var next = Run("--manifest", Ci, "--only", "download");
        Assert.True(next.ExitCode == 0, next.StandardOutput + next.StandardError);
        Assert.Contains(next.OutputLines, l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Slurm's warning before a time limit (here sent at once with <c>scancel --signal=USR1 --batch</c>) makes the
    /// pre-training task checkpoint and requeue itself; its next start resumes from the checkpoint to the bytes of an
    /// uninterrupted run, and a run started meanwhile waits for that task instead of submitting the cell again.
    /// </summary>
    [SlurmFact]
    public void APretrainingTaskWarnedOfItsTimeLimitCheckpointsRequeuesAndResumes()
    {
        var manifest = Path.Combine(temp, "longer.yaml");
        File.WriteAllText(manifest, $"extends: {Ci}\npretrain:\n  methods:\n    byol: {{epochs: 12}}\n");
        var detached = Run("--manifest", manifest, "--only", "pretrain", "--method", "byol", "--detach");
        Assert.True(detached.ExitCode == 0, detached.StandardOutput + detached.StandardError);
        var pretrain = detached.OutputLines.Single(l => l.Contains("-pretrain: job ", StringComparison.Ordinal)).Split(' ')[3].TrimEnd(',');
        var log = Path.Combine(Directory.GetDirectories(Path.Combine(temp, "cache", ".slurm"), "2*").Single(), "logs", "02-pretrain_0.out");

        Assert.True(Eventually(() => File.Exists(log) && File.ReadAllText(log).Contains("1/24 steps", StringComparison.Ordinal)), $"the task did not finish a step: {Tail(log)}");
        Slurm("scancel", "--signal=USR1", "--batch", $"{pretrain}_0");
        Assert.True(Eventually(() => File.ReadAllText(log).Contains("requeueing task", StringComparison.Ordinal)), $"the task did not requeue itself: {Tail(log)}");
        // Slurm holds a requeued job for two minutes; the test does not wait for that. It waits a few seconds, though:
        // slurmd refuses to start a job whose credential is as old as the revocation of its last run ("Job credential
        // revoked"), which counts in whole seconds.
        Assert.True(Eventually(() => Slurm("squeue", "--noheader", "--jobs", $"{pretrain}_0", "--format=%T %r").Output.Trim() == "PENDING BeginTime"), "the task was not requeued");
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.Equal(0, Slurm("scontrol", "update", $"JobId={pretrain}_0", "StartTime=now").ExitCode);

        var followed = Run("--manifest", manifest, "--only", "pretrain", "--method", "byol");

        Assert.True(followed.ExitCode == 0, followed.StandardOutput + followed.StandardError + Tail(log));
        Assert.Contains(followed.OutputLines, l => l.StartsWith("in flight: pretrain[method=byol] as task ", StringComparison.Ordinal));
        Assert.DoesNotContain(followed.OutputLines, l => l.StartsWith("submitted ", StringComparison.Ordinal));
        var text = File.ReadAllText(log);
        Assert.Contains("stopped on SIGUSR1: the cell's checkpoint is kept; exiting for requeue", text);
        Assert.Matches(@"resuming from the checkpoint after step \d+ of 24", text);
        var cell = Path.GetDirectoryName(Directory.GetFiles(Path.Combine(temp, "cache", "pretrain"), "meta.json", SearchOption.AllDirectories).Single())!;

        // The same cell computed in one go, here: the requeued task published the same bytes.
        var local = Path.Combine(temp, "local");
        var uninterrupted = CliProcess.RunWithin(RunLimit, temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = local }, "run", "--manifest", manifest, "--only", "pretrain", "--method", "byol", "--threads", "1");
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.StandardOutput + uninterrupted.StandardError);
        var reference = Path.Combine(local, Path.GetRelativePath(Path.Combine(temp, "cache"), cell));
        var files = Directory.GetFiles(cell).Select(Path.GetFileName).Where(f => f != "meta.json").Order().ToList();
        Assert.Equal(files, Directory.GetFiles(reference).Select(Path.GetFileName).Where(f => f != "meta.json").Order().ToList());
        Assert.All(files, f => Assert.True(File.ReadAllBytes(Path.Combine(cell, f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(reference, f!))), $"{f} differs from an uninterrupted run's"));
    }

    /// <summary>
    /// A download task stuck on a server that never answers reaches its one-minute limit and ends TIMEOUT: the executor
    /// submits it again with <c>time_on_retry</c>, and its preprocessing cell again after the new task (Slurm cancelled
    /// the first one). The second attempt gets a 404, an end no retry can fix: the cell fails with it, its
    /// preprocessing is reported blocked, and nothing is submitted a third time.
    /// </summary>
    [SlurmFact]
    public void ATaskThatReachedItsTimeLimitIsSubmittedAgainWithTimeOnRetryAndItsDownstreamCellAfterIt()
    {
        using var server = new StallingServer();
        var manifest = Path.Combine(temp, "stalling.yaml");
        File.WriteAllText(manifest, $$"""
            extends: {{Ci}}
            datasets:
              covid: {source: github, url: "http://127.0.0.1:{{server.Port}}/covid", version: v1, synthetic: ~}
            slurm:
              download: {time: "1", time_on_retry: "5"}
            """);

        var result = Run("--manifest", manifest, "--only", "preprocess", "--dataset", "covid");

        Assert.True(result.ExitCode == 1, result.StandardOutput + result.StandardError);
        var submitted = result.OutputLines.Where(l => l.StartsWith("submitted ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, submitted.Count);
        var first = submitted[0].Split(' ')[3].TrimEnd(',');
        var again = submitted[2].Split(' ')[3].TrimEnd(',');
        Assert.Matches(@"^submitted 02-download: job \d+, 1 cell\(s\) with --time=5$", submitted[2]);
        Assert.Matches($@"^submitted 03-preprocess: job \d+, 1 cell\(s\) after {again}$", submitted[3]);
        Assert.Contains($"retry 1 of 1: download[dataset=covid]: task {first}_0 ended TIMEOUT; submitting the cell again", result.OutputLines);
        Assert.Contains($"error: download[dataset=covid]: job {again}_0: its task ended FAILED (NonZeroExitCode) without publishing the cell", result.StandardError);
        Assert.Contains("HTTP 404", result.StandardError);
        Assert.Contains(result.OutputLines, l => l.Contains("preprocess[dataset=covid]: skipped", StringComparison.Ordinal));
        Assert.Equal(2, server.Requests);
    }

    private static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + RunLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(500);
        }

        return false;
    }

    /// <summary>This test's fine-tuning jobs in the queue (other tests may share the cluster), oldest first.</summary>
    private List<string> FinetuneJobs() => [.. Slurm("squeue", "--noheader", "--name=reproduce-finetune", "--format=%F|%o").Output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(l => l.Split('|', 2))
        .Where(f => f.Length == 2 && f[1].StartsWith(temp + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        .Select(f => f[0])
        .OrderBy(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture))];

    private static string Tail(string path) => File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(10)) : $"no {path}";

    private static (int ExitCode, string Output) Slurm(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private CliProcess.Result Cli(params string[] arguments) =>
        CliProcess.RunWithin(RunLimit, temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache") }, arguments);

    private CliProcess.Result Run(params string[] arguments) =>
        CliProcess.RunWithin(RunLimit, temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache") }, ["run", "--executor", "slurm", "--threads", "1", .. arguments]);
}

/// <summary>
/// An HTTP server on 127.0.0.1 whose first request is never answered (the connection stays open until disposal) and
/// whose later ones get a 404.
/// </summary>
internal sealed class StallingServer : IDisposable
{
    private readonly System.Net.Sockets.TcpListener listener = new(System.Net.IPAddress.Loopback, 0);
    private readonly List<System.Net.Sockets.TcpClient> held = [];
    private int requests;

    public StallingServer()
    {
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port => ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

    public int Requests => Volatile.Read(ref requests);

    public void Dispose()
    {
        listener.Stop();
        lock (held)
        {
            held.ForEach(c => c.Dispose());
        }
    }

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                // The request line and headers: a GET ends with an empty line.
                var reader = new StreamReader(stream, leaveOpen: true);
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
                {
                }

                if (Interlocked.Increment(ref requests) == 1)
                {
                    lock (held)
                    {
                        held.Add(client);
                    }

                    continue;
                }

                await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                client.Dispose();
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            // Stopped.
        }
    }
}
