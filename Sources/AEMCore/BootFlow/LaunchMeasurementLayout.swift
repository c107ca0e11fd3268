/// The launch's events of one boot, as a flow recognized them.
public struct LaunchMeasurementLayout: Sendable {
    public var policyEvents: [MeasurementEvent]
    /// One per measured module, in module order.
    public var moduleEvents: [MeasurementEvent]
}
