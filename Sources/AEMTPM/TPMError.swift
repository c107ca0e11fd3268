/// Placeholder until the TPM layer lands.
public enum TPMPlaceholder {}
