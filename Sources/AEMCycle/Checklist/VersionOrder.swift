import AEMCore
import AEMTPM
import Foundation

/// Version order of `sort -V` for names like 4.17.10 and 4.17.3.
enum VersionOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        let left = a.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let right = b.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        for (x, y) in zip(left, right) where x != y { return x < y }
        return left.count < right.count
    }
}
