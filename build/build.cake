// The target graph of the suite (DESIGN.md §2, §7): every target is a thin call of the `reproduce`
// CLI. Caching, cell selection and parallelism are the engine's job, so no target uses WithCriteria
// (Cake fails when the target itself is skipped) and nothing here knows about cells.
//
//   ./build.sh [--target=ReproducePaper] [--configuration=Release] [--torch-backend=cpu|cuda]
//              [--manifest=experiments/paper.yaml]
//              [--method=.. --task=.. --init=.. --fold=.. --fraction=.. --dataset=.. --only=<stage>]
//              [--device=cpu|cuda] [--executor=local|slurm] [--workers=N] [--force] [--verbose]
//              [--slurm=[STAGE.]SETTING=VALUE ...] [--detach]   (with --executor=slurm)
//              [--fuzz-seconds=60] [--fuzz-target=NAME]           (with --target=Fuzz)

var target = Argument("target", "ReproducePaper");
var configuration = Argument("configuration", "Release");

// Cake runs a script with the script's folder as working directory; the CLI must run from the
// repository root, where data/, cache/, results/ and the manifests' relative paths live.
var root = MakeAbsolute(Directory(".."));
var cli = root.CombineWithFilePath($"src/Reproduce.Cli/bin/{configuration}/net10.0/reproduce.dll");
var testResults = root.Combine("TestResults");

var filters = new[] { "method", "task", "init", "fold", "fraction", "dataset" };
var force = Flag("force");
var verbose = Flag("verbose");
var detach = Flag("detach");

// A flag's value is the next word when one follows it (`--force covid` makes "covid" the value of
// --force), so anything but empty/true/false is a mistake worth stopping for.
bool Flag(string name)
{
    if (!HasArgument(name)) return false;
    var value = Argument<string>(name, "");
    if (value == "") return true;
    if (bool.TryParse(value, out var on)) return on;
    throw new CakeException(2, $"--{name} is a flag but got the value '{value}': put it last or write --{name}=true");
}

// Regress checks the small CI experiment against its baseline, so its default manifest differs.
string Manifest(string fallback = "experiments/paper.yaml") => Argument("manifest", fallback);

// Each occurrence of a filter is passed on unchanged: the CLI decides how repeated or
// comma-separated values combine. `--only` is left out where the target names the stage itself.
ProcessArgumentBuilder Filters(ProcessArgumentBuilder args, bool withOnly = true)
{
    foreach (var name in withOnly ? filters.Append("only") : filters)
        foreach (var value in Arguments<string>(name, Array.Empty<string>()))
            args.AppendSwitchQuoted($"--{name}", " ", value);
    return args;
}

// Only what the user gave is passed, so the CLI's own defaults (and its validation) apply.
ProcessArgumentBuilder RunOptions(ProcessArgumentBuilder args)
{
    foreach (var name in new[] { "device", "executor", "workers" })
        if (HasArgument(name)) args.AppendSwitchQuoted($"--{name}", " ", Argument<string>(name));
    foreach (var assignment in Arguments<string>("slurm", Array.Empty<string>()))
        args.AppendSwitchQuoted("--slurm", " ", assignment);
    if (detach) args.Append("--detach");
    if (force) args.Append("--force");
    return args;
}

// Runs `reproduce <verb> --manifest <m> …` from the repository root. A non-zero exit code becomes
// Cake's exit code (0 ok, 1 cell failed, 2 invalid input, 3 environment, 4 regression, 130 interrupted).
void Reproduce(string verb, string manifest, Func<ProcessArgumentBuilder, ProcessArgumentBuilder> options)
{
    if (!FileExists(cli))
        throw new CakeException(3, $"{cli} not found: build it first (--target=Build, or drop --exclusive)");

    var args = options(new ProcessArgumentBuilder().Append(verb).AppendSwitchQuoted("--manifest", " ", manifest));
    if (verbose) args.Append("--verbose");
    Information("reproduce {0}", args.Render());

    var exitCode = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = args.PrependQuoted(cli.FullPath),
        WorkingDirectory = root,
    });
    if (exitCode != 0)
        throw new CakeException(exitCode, $"reproduce {verb} exited with code {exitCode}");
}

Task("Build")
    .Description("Build the solution (incremental: only what is stale).")
    .Does(() =>
{
    var msbuild = new DotNetMSBuildSettings();
    if (HasArgument("torch-backend"))
        msbuild.WithProperty("TorchBackend", Argument<string>("torch-backend"));
    DotNetBuild(root.CombineWithFilePath("Reproduce.sln").FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        MSBuildSettings = msbuild,
    });
});

Task("Test")
    .Description("Run every test project; TRX files go to TestResults/.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The test projects run side by side, each training with as many OpenMP threads as there are cores.
    // libgomp's default active wait then spins on cores the other project needs: on 2 cores two ResNet-18
    // steps ran 4.1× slower than with a passive wait (5.4 vs 22 images/s each). A user's own setting wins.
    var environment = new Dictionary<string, string>();
    if (string.IsNullOrEmpty(EnvironmentVariable("OMP_WAIT_POLICY")))
        environment["OMP_WAIT_POLICY"] = "PASSIVE";

    // One TRX per test project: .ci/run sums them into its totals line.
    DotNetTest(root.CombineWithFilePath("Reproduce.sln").FullPath, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        ResultsDirectory = testResults,
        Loggers = new[] { "trx", "console;verbosity=normal" },
        EnvironmentVariables = environment,
    });
});

Task("Plan")
    .Description("Print every selected cell as cached / missing / incomplete / forced, with the reason.")
    .IsDependentOn("Build")
    .Does(() => Reproduce("plan", Manifest(), args =>
    {
        // The device enters cell keys and --force changes a cell's status, so the plan needs both.
        if (HasArgument("device")) args.AppendSwitchQuoted("--device", " ", Argument<string>("device"));
        if (force) args.Append("--force");
        return Filters(args);
    }));

foreach (var stage in new[] { "Download", "Preprocess", "Pretrain", "Finetune", "Aggregate", "Render" })
{
    // The engine resolves upstream cells itself, so a stage target depends only on Build.
    Task(stage)
        .Description($"Run the {stage.ToLowerInvariant()} cells of the manifest.")
        .IsDependentOn("Build")
        .Does(() => Reproduce("run", Manifest(), args =>
            RunOptions(Filters(args.Append("--only").Append(stage.ToLowerInvariant()), withOnly: false))));
}

Task("ReproducePaper")
    .Description("Run every stage of the manifest (cached cells are skipped by the engine).")
    .IsDependentOn("Build")
    .Does(() => Reproduce("run", Manifest(), args => RunOptions(Filters(args))));

Task("Regress")
    .Description("Run the manifest (default experiments/ci.yaml), then compare its headline metrics with results/baselines/.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var manifest = Manifest("experiments/ci.yaml");
    // One thread per cell, as the baseline was derived: the numbers then do not depend on the machine's core
    // count. The cores go to workers instead (cells run in processes of their own, so the count does not matter).
    Reproduce("run", manifest, args =>
    {
        args = RunOptions(Filters(args.Append("--threads 1")));
        return HasArgument("workers") ? args : args.Append($"--workers {System.Environment.ProcessorCount}");
    });
    Reproduce("regress", manifest, args => args);
});

Task("Baseline")
    .Description("Derive results/baselines/<experiment>.json from runs at several seeds (default experiments/ci.yaml, --seeds=2,3,4,5).")
    .IsDependentOn("Build")
    .Does(() => Reproduce("baseline", Manifest("experiments/ci.yaml"), args =>
    {
        foreach (var name in new[] { "seeds", "k", "floor", "device", "workers", "threads" })
            if (HasArgument(name)) args.AppendSwitchQuoted($"--{name}", " ", Argument<string>(name));
        return args;
    }));

Task("Clean")
    .Description("Remove the selected cells of the manifest from the cache.")
    .IsDependentOn("Build")
    .Does(() => Reproduce("clean", Manifest(), args => Filters(args)));

Task("Fuzz")
    .Description("Fuzz each reader of files users bring with AFL++ (--fuzz-seconds=60 each, --fuzz-target=NAME for one); a crash or hang fails it.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // afl-fuzz runs `dotnet` on the harness, which no AFL compiler built: skip its binary check. Frequency scaling
    // and core_pattern are the host's (a container cannot change them) and only cost speed or crash detection
    // of native code that SharpFuzz's fork server reports anyway.
    var afl = new Dictionary<string, string>
    {
        ["AFL_SKIP_BIN_CHECK"] = "1",
        ["AFL_SKIP_CPUFREQ"] = "1",
        ["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1",
        ["AFL_NO_UI"] = "1",
    };
    if (Context.Tools.Resolve("afl-fuzz") is null)
        throw new CakeException(3, "afl-fuzz not found: install AFL++ (Debian and Ubuntu: apt-get install afl++)");

    var seconds = Argument("fuzz-seconds", 60);
    var work = root.Combine("artifacts/fuzz");
    var harness = root.Combine($"tests/Reproduce.Fuzz/bin/{configuration}/net10.0");
    var instrumented = work.Combine("bin");
    // A harness's scratch file stays where the fuzzer killed it: keep them all in here.
    afl["TMPDIR"] = work.Combine("tmp").FullPath;
    EnsureDirectoryExists(work);
    CleanDirectory(work);
    EnsureDirectoryExists(work.Combine("tmp"));
    EnsureDirectoryExists(work.Combine("findings"));

    // SharpFuzz instruments our readers (and the YAML parser the manifest reader drives) in a copy, so the build
    // output the tests use stays as it was.
    CopyDirectory(harness, instrumented);
    foreach (var assembly in new[] { "Reproduce.Core", "Reproduce.Data", "Reproduce.Evaluation", "YamlDotNet" })
    {
        if (StartProcess("dotnet", new ProcessSettings { Arguments = $"sharpfuzz {instrumented.CombineWithFilePath(assembly + ".dll").FullPath}", WorkingDirectory = root }) != 0)
            throw new CakeException(3, $"sharpfuzz could not instrument {assembly}.dll");
    }

    // Cake's redirected output can be enumerated once only.
    StartProcess("dotnet", new ProcessSettings { Arguments = $"{harness.CombineWithFilePath("Reproduce.Fuzz.dll").FullPath} list", RedirectStandardOutput = true }, out IEnumerable<string> listed);
    var targets = listed.ToList();
    var only = Argument("fuzz-target", "");
    if (only != "" && !targets.Contains(only))
        throw new CakeException(2, $"--fuzz-target={only}: no such target (targets: {string.Join(", ", targets)})");

    var failures = new List<string>();
    foreach (var target in targets.Where(t => only == "" || t == only))
    {
        var corpus = work.Combine($"corpus/{target}");
        var findings = work.Combine($"findings/{target}");
        // The seed corpus is what AFL++ starts from: without it the target is not fuzzed at all, so that is a failure.
        if (StartProcess("dotnet", new ProcessSettings { Arguments = $"{harness.CombineWithFilePath("Reproduce.Fuzz.dll").FullPath} corpus {target} {corpus.FullPath}", RedirectStandardOutput = true, RedirectStandardError = true }, out _, out IEnumerable<string> corpusErrors) != 0)
        {
            failures.Add($"{target}: its seed corpus could not be written: {string.Join(" ", corpusErrors)}");
            continue;
        }

        // -t: a slow input is a hang only past 5 s (the first inputs pay for the JIT); -m none: .NET reserves far
        // more address space than it uses.
        var exitCode = StartProcess("afl-fuzz", new ProcessSettings
        {
            Arguments = $"-i {corpus.FullPath} -o {findings.FullPath} -t 5000 -m none -V {seconds} -- dotnet {instrumented.CombineWithFilePath("Reproduce.Fuzz.dll").FullPath} {target}",
            EnvironmentVariables = afl,
            RedirectStandardOutput = true,
        }, out IEnumerable<string> output);
        var log = output.ToList();
        var found = new[] { "crashes", "hangs" }
            .SelectMany(kind => GetFiles($"{findings.FullPath}/default/{kind}/id*"))
            .ToList();
        var stats = System.IO.File.Exists($"{findings.FullPath}/default/fuzzer_stats")
            ? System.IO.File.ReadAllLines($"{findings.FullPath}/default/fuzzer_stats").Where(l => l.StartsWith("execs_done") || l.StartsWith("corpus_count")).Select(l => l.Replace(" ", ""))
            : Array.Empty<string>();
        Information("fuzz {0}: {1} s, {2}, {3} finding(s)", target, seconds, string.Join(", ", stats), found.Count);
        if (exitCode != 0)
        {
            foreach (var line in log.TakeLast(10)) Error(line);
            failures.Add($"{target}: afl-fuzz exited with code {exitCode}");
        }

        failures.AddRange(found.Select(file => $"{target}: {file.FullPath}"));
    }

    if (failures.Count > 0)
    {
        foreach (var failure in failures) Error(failure);
        throw new CakeException(1, $"fuzzing found {failures.Count} problem(s). Replay one with `dotnet tests/Reproduce.Fuzz/bin/{configuration}/net10.0/Reproduce.Fuzz.dll <target> < <file>`; once fixed, keep the input under tests/fixtures/fuzz/<target>/ as a regression input.");
    }
});

// Cake wraps a failing task's exception in a CakeReportException (not a CakeException), which would
// turn every failure into exit code 1; unwrap it so build.sh exits with reproduce's own code.
try
{
    RunTarget(target);
}
catch (CakeReportException e) when (e.InnerException is CakeException inner)
{
    throw new CakeException(inner.ExitCode, inner.Message);
}
