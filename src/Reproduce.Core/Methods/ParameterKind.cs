namespace Reproduce.Core.Methods;

/// <summary>The value types a method hyper-parameter can take in a manifest.</summary>
public enum ParameterKind
{
    Integer,
    Real,
    Boolean,
    Choice,
    RealList,
    IntegerList,
}
