import { watch } from 'vue'

/**
 * A tab of the task page loads when it is shown and on every refresh tick while it is shown
 * (the page ticks every few seconds); hidden tabs ask nothing of the API.
 */
export function loadWhileShown(props, load) {
  watch(() => [props.active, props.tick], ([active]) => {
    if (active) load()
  }, { immediate: true })
}
