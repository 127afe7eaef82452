namespace Remediation.Agent.Commands;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 2;
}
