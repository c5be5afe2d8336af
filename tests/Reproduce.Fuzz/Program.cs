using Reproduce.Core.Stages;
using Reproduce.Fuzz;
using SharpFuzz;

// reproduce-fuzz <target>
//     Under afl-fuzz: SharpFuzz's fork server runs the target on every input AFL++ writes; an exception that is not
//     the reader's own refusal is reported as a crash. The target runs in a child process, so a stack overflow or
//     a native crash is reported too instead of ending the fuzzing. Without afl-fuzz: reads one input from stdin
//     and prints what the reader made of it, to replay a finding.
// reproduce-fuzz corpus <target> <folder>
//     Copies the files the target's corpus starts from into <folder>.
// reproduce-fuzz list
//     Prints the targets' names.
// In the copy the Fuzz target instruments, code of the instrumented assemblies (Reproduce.Core among them) may run
// only inside Fuzzer's action, which sets up the coverage map it writes to: elsewhere it crashes the process. So
// `corpus` runs from the build output, and the runner is made inside the action.
switch (args)
{
    case ["list"]:
        foreach (var each in FuzzTargets.All)
        {
            Console.WriteLine(each.Name);
        }

        return 0;

    case ["corpus", var name, var folder] when FuzzTargets.Find(name) is { } target:
        Directory.CreateDirectory(folder);
        foreach (var file in FuzzTargets.Corpus(target, Roots.FindRepositoryRoot(AppContext.BaseDirectory)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }

        return 0;

    case [var name] when FuzzTargets.Find(name) is { } target:
        // Under afl-fuzz the process is killed when the time is up, so its scratch folder stays: the Fuzz target
        // points TMPDIR into its own folder.
        FuzzRunner? runner = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            runner ??= new FuzzRunner(target, Roots.FindRepositoryRoot(AppContext.BaseDirectory));
            using var input = new MemoryStream();
            stream.CopyTo(input);
            var outcome = runner.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
            if (Environment.GetEnvironmentVariable("__AFL_SHM_ID") is null)
            {
                Console.WriteLine(outcome.Accepted ? "accepted" : $"refused: {outcome.Refusal}");
            }
        });
        runner?.Dispose();
        return 0;

    default:
        Console.Error.WriteLine($"usage: reproduce-fuzz <target> | corpus <target> <folder> | list   (targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))})");
        return 2;
}
