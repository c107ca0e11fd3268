import AEMCore
import AEMTPM
import Foundation

/// The checklist, in the order a user would fix things.
public enum Checklist {
    /// Every item, each checked on its own.
    public static let items: [any ChecklistItem] = [
        TPMReadyItem(), AEMConfiguredItem(), DefaultEntryItem(), NewestXenItem(), SealFitsFlowItem(), BootRecordItem(),
        SelfCheckItem(), ProvenanceItem(), StagedSealItem(), PreviousSealItem(), MediaItem(), SealServiceItem(),
    ]
}
