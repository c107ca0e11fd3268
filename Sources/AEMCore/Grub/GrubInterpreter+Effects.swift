extension GrubInterpreter {
    /// Taints what `statements`, which did not run here, could have done if
    /// they had: a tainted condition or word list decided they did not.
    func applyPossibleEffects(of statements: [GrubStatement], taint: GrubTaint) {
        guard !taint.isEmpty, !statements.isEmpty else { return }
        let effects = GrubStaticEffects.of(statements, functions: functions)
        if effects.unbounded {
            becomeUnbounded(taint)
            return
        }
        for name in effects.variables { variables.addTaint(name.text, taint) }
        for name in effects.functions { possibleFunctions[name, default: GrubTaint()].formUnion(taint) }
        if effects.menuItems { uncertainties.append(GrubMenuUncertainty(position: items.count, taint: taint)) }
        if effects.loaderCommands, mode == .entry { outcome.formUnion(taint) }
        if effects.environmentWrites { state.environment.uncertainty.formUnion(taint) }
    }
}
