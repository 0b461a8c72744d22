export class TsuribariE2EParent extends JSWindowActorParent {}
