using System.Reflection;
using System.Reflection.Emit;

namespace Reproduce.Cli.Tests;

/// <summary>
/// Which folders of an assembly use which: a folder is the first namespace part below the assembly's root namespace
/// (<c>Reproduce.Core.Cache.CacheStore</c> is in <c>Cache</c>; a type of the root namespace itself is in <c>(root)</c>), and a type uses every type its signatures name (base
/// type, interfaces, fields, properties, parameters, return types, generic arguments) and every type, method and field
/// its method bodies' IL refers to, so a partially qualified name or a lambda counts as much as a <c>using</c>.
/// </summary>
internal static class FolderDependencies
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every use of a folder by another, with the first pair of types that shows it ("A uses B").</summary>
    public static Dictionary<(string From, string To), string> Of(Assembly assembly, string rootNamespace)
    {
        var prefix = rootNamespace + ".";
        var uses = new Dictionary<(string, string), string>();
        foreach (var type in assembly.GetTypes())
        {
            var from = FolderOf(type, prefix);
            foreach (var used in UsedBy(type).Where(u => u.Assembly == assembly))
            {
                var to = FolderOf(used, prefix);
                if (from is not null && to is not null && from != to)
                {
                    uses.TryAdd((from, to), $"{type.FullName} uses {used.FullName}");
                }
            }
        }

        return uses;
    }

    /// <summary>Each cycle among the folders (a strongly connected set of two or more), as its members.</summary>
    public static List<List<string>> Cycles(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var nodes = next.Keys.Concat(next.Values.SelectMany(v => v)).Distinct().Order(StringComparer.Ordinal).ToList();
        // Two folders are in one cycle when each reaches the other.
        HashSet<string> Reached(string start)
        {
            var seen = new HashSet<string>();
            var pending = new Stack<string>([start]);
            while (pending.TryPop(out var node))
            {
                foreach (var to in next.GetValueOrDefault(node, []))
                {
                    if (seen.Add(to))
                    {
                        pending.Push(to);
                    }
                }
            }

            return seen;
        }

        var reach = nodes.ToDictionary(n => n, Reached);
        return nodes
            .Select(n => nodes.Where(m => m == n || (reach[n].Contains(m) && reach[m].Contains(n))).ToList())
            .Where(c => c.Count > 1)
            .DistinctBy(c => string.Join(',', c))
            .ToList();
    }

    private static string? FolderOf(Type type, string prefix) => type.Namespace switch
    {
        null => null,
        var name when name + "." == prefix => "(root)",
        var name when name.StartsWith(prefix, StringComparison.Ordinal) => name[prefix.Length..].Split('.')[0],
        _ => null,
    };

    private static IEnumerable<Type> UsedBy(Type type)
    {
        var named = new List<Type?> { type.BaseType };
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)).ToList();
        foreach (var method in methods)
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                named.Add(info.ReturnType);
            }

            named.AddRange(ReferencedIn(method));
        }

        return named.OfType<Type>().SelectMany(Unwrapped);
    }

    /// <summary>A type with its element type and generic arguments, down to the types they are made of.</summary>
    private static IEnumerable<Type> Unwrapped(Type type)
    {
        if (type.HasElementType)
        {
            return Unwrapped(type.GetElementType()!);
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? type.GetGenericArguments().SelectMany(Unwrapped).Prepend(type.GetGenericTypeDefinition())
            : [type];
    }

    /// <summary>The declaring types of the methods and fields, and the types, that a method body's IL names.</summary>
    private static IEnumerable<Type> ReferencedIn(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            var operand = opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
            if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                MemberInfo? member;
                try
                {
                    member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    member = null;   // a token of a generic context this reading cannot supply: not one of our folders' types
                }

                if (member is Type named)
                {
                    yield return named;
                }
                else if (member?.DeclaringType is { } declaringType)
                {
                    yield return declaringType;
                }
            }

            at += operand;
        }
    }
}
